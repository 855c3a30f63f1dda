using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ServerlessMobility.LocalHost;

/// <summary>
/// The local host's request-line and header limits (docs/api.md, "Request limits"). Kestrel rejects a request over
/// its own limits before any middleware runs and answers with an empty body, so Kestrel's limits are set above these
/// and the first middleware enforces these, answering 414 or 431 with problem details like every other error.
/// </summary>
public static class LocalHostLimits
{
    /// <summary>Longest request target (path and query string, as sent): 8 KiB.</summary>
    public const int MaxRequestTargetBytes = 8 * 1024;

    /// <summary>Largest total of all request headers (names, values, ": " and line ends): 32 KiB.</summary>
    public const int MaxRequestHeadersBytes = 32 * 1024;

    /// <summary>Most request header fields: 100.</summary>
    public const int MaxRequestHeaderCount = 100;

    /// <summary>Kestrel's own limits, past which it still answers alone and with no body: four times ours.</summary>
    internal const int KestrelHeadroom = 4;

    internal static void ConfigureKestrel(KestrelServerOptions options)
    {
        options.Limits.MaxRequestLineSize = (MaxRequestTargetBytes + 1024) * KestrelHeadroom;
        options.Limits.MaxRequestHeadersTotalSize = MaxRequestHeadersBytes * KestrelHeadroom;
        options.Limits.MaxRequestHeaderCount = MaxRequestHeaderCount * KestrelHeadroom;
    }

    /// <summary>Runs first, before routing and authentication: a request over a limit is refused whoever sends it.</summary>
    internal static IApplicationBuilder UseLocalHostLimits(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
            if (target.Length > MaxRequestTargetBytes)
            {
                await WriteProblemAsync(http, StatusCodes.Status414UriTooLong, "URI too long",
                    $"The request target (path and query string) is limited to {MaxRequestTargetBytes} bytes.");
                return;
            }

            var count = 0;
            var bytes = 0L;
            foreach (var (name, values) in http.Request.Headers)
            {
                foreach (var value in values)
                {
                    count++;
                    bytes += name.Length + 2 + (value?.Length ?? 0) + 2;
                }
            }

            if (count > MaxRequestHeaderCount || bytes > MaxRequestHeadersBytes)
            {
                await WriteProblemAsync(http, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request header fields too large",
                    $"Requests are limited to {MaxRequestHeaderCount} header fields and {MaxRequestHeadersBytes} bytes of headers.");
                return;
            }

            await next(http);
        });

    private static async Task WriteProblemAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        // The rest of the request is not worth reading; the client should not reuse the connection either.
        http.Response.Headers.Connection = "close";
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }
}
