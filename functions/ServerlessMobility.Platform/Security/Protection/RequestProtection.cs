using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServerlessMobility.Platform.Security.Protection;

public sealed class RequestProtectionOptions
{
    public const string SectionName = "RequestProtection";

    /// <summary>Largest accepted request body; larger ones get 413 before any handler runs.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Requests per window for one token subject of one tenant.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerSubject { get; set; } = 600;

    /// <summary>Requests per window from one IP address without a token (webhooks, health, dev token).</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerAnonymousIp { get; set; } = 300;

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;
}

/// <summary>
/// Abuse protection shared by both hosts: a body size limit and a rate limiter partitioned by the token's
/// tenant and subject (or by IP address for anonymous callers), answering 429 with Retry-After.
/// </summary>
public static class RequestProtection
{
    public static IServiceCollection AddRequestProtection(this IServiceCollection services)
    {
        services.AddOptions<RequestProtectionOptions>().BindConfiguration(RequestProtectionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await WriteProblemAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests", $"Rate limit reached; retry after {seconds} s.");
            };
        });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RequestProtectionOptions>, TimeProvider>((limiter, protection, time) =>
        {
            var options = protection.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (!IsApiRequest(http.Request))
                {
                    // The web console's own files (served by the local host; the Static Web App serves them in Azure): one
                    // page load fetches some forty, which would use up an anonymous address's budget for the API.
                    return RateLimitPartition.GetNoLimiter("console-files");
                }

                var (key, permits) = http.User.Identity?.IsAuthenticated == true && http.User.FindFirst(PlatformClaims.Subject)?.Value is { } subject
                    ? (CallerPartition(http.User.FindFirst(PlatformClaims.TenantId)?.Value, subject), options.PermitsPerSubject)
                    : ("ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"), options.PermitsPerAnonymousIp);
                return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits,
                    Window = TimeSpan.FromSeconds(options.WindowSeconds),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });
        return services;
    }

    /// <summary>Call after authentication, so the limiter can tell callers apart by token subject.</summary>
    public static IApplicationBuilder UseRequestProtection(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (http, next) =>
        {
            var limit = http.RequestServices.GetRequiredService<IOptions<RequestProtectionOptions>>().Value.MaxRequestBodyBytes;
            if (http.Request.ContentLength > limit)
            {
                await WriteProblemAsync(http, StatusCodes.Status413PayloadTooLarge, "Payload too large", $"Request bodies are limited to {limit} bytes.");
                return;
            }

            var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (sizeFeature is { IsReadOnly: false })
            {
                // Enforced by Kestrel for chunked bodies that announce no length.
                sizeFeature.MaxRequestBodySize = limit;
            }

            await next(http);
        });
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The API's and the durable management API's requests; anything else is a file of the web console.</summary>
    internal static bool IsApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || request.Path.StartsWithSegments("/runtime", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// One budget per tenant and subject: subjects are only unique within their tenant (issue 16 item 10). Both parts
    /// are length-prefixed, so no choice of subject can reach another tenant's partition.
    /// </summary>
    internal static string CallerPartition(string? tenantId, string subject) =>
        string.Create(CultureInfo.InvariantCulture, $"sub:{tenantId?.Length ?? 0}:{tenantId}:{subject}");

    private static async Task WriteProblemAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
