using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Platform.Security.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on POST: the first request with a key runs and its response is stored; a
/// retry with the same key and the same content gets the stored response (with
/// <c>Idempotent-Replayed: true</c>) and changes nothing; the same key with other content is a 422;
/// a retry while the first is still running is a 409.
/// </summary>
public static class IdempotencyFilter
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";
    private const int MaxKeyLength = 128;

    /// <summary>
    /// A route-group convention. It runs before the endpoint's own conventions, so the decision is
    /// taken when the filter pipeline is built, once all of the endpoint's metadata is known.
    /// </summary>
    public static void Apply(EndpointBuilder endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        endpoint.FilterFactories.Add((context, next) =>
        {
            if (!string.Equals(EndpointFilterHelpers.HttpMethod(endpoint), HttpMethods.Post, StringComparison.OrdinalIgnoreCase))
            {
                return next;
            }

            endpoint.Metadata.Add(new IdempotentEndpointMetadata());
            var content = new RequestContentSelector(context.MethodInfo, context.ApplicationServices);
            return invocation => InvokeAsync(invocation, next, content);
        });
    }

    private static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next, RequestContentSelector content)
    {
        var http = invocation.HttpContext;
        var key = http.Request.Headers[HeaderName].ToString();
        if (string.IsNullOrEmpty(key))
        {
            return await next(invocation);
        }

        if (key.Length > MaxKeyLength || key.Any(char.IsControl))
        {
            throw RequestValidationException.For(HeaderName, $"An {HeaderName} has 1 to {MaxKeyLength} printable characters.");
        }

        var store = http.RequestServices.GetRequiredService<IIdempotencyStore>();
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        var json = EndpointFilterHelpers.JsonOptions(http);
        var scope = Scope(http);
        var fingerprint = EndpointFilterHelpers.Sha256($"{http.Request.Method}\n{EndpointFilterHelpers.RoutePattern(invocation)}\n{http.Request.Path}\n{content.Serialize(invocation, json)}");

        var existing = await store.TryBeginAsync(scope, key, fingerprint, http.RequestAborted);
        if (existing is not null)
        {
            return Replay(existing, fingerprint, http);
        }

        object? result;
        try
        {
            result = await next(invocation);
        }
        catch
        {
            await store.AbandonAsync(scope, key, CancellationToken.None);
            throw;
        }

        var (status, value, location) = EndpointFilterHelpers.Describe(result);
        if (status is >= 200 and < 300)
        {
            // A secret shown once (a device key) is not kept in the idempotency store: a replay answers without it.
            var stored = value is IShownOnce once ? once.WithoutSecrets() : value;
            var responseJson = stored is null ? null : JsonSerializer.Serialize(stored, stored.GetType(), json);
            await store.CompleteAsync(scope, key, new IdempotencyRecord(fingerprint, status, responseJson, location, time.GetUtcNow()), CancellationToken.None);
        }
        else
        {
            // A refused request changed nothing: let the client correct it and retry with the same key.
            await store.AbandonAsync(scope, key, CancellationToken.None);
        }

        return result;
    }

    private static IResult Replay(IdempotencyRecord existing, string fingerprint, HttpContext http)
    {
        if (!string.Equals(existing.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            throw new BusinessRuleException("idempotency-key-reused", $"This {HeaderName} was already used for a different request.");
        }

        if (existing.StatusCode is not { } status)
        {
            throw new ConflictException($"A request with this {HeaderName} is still being processed; retry later.");
        }

        http.Response.Headers[ReplayedHeaderName] = "true";
        if (existing.Location is not null)
        {
            http.Response.Headers.Location = existing.Location;
        }

        return existing.ResponseJson is null
            ? TypedResults.StatusCode(status)
            : new ContentHttpResultWithStatus(existing.ResponseJson, status);
    }

    /// <summary>Keys are per caller: two callers may use the same key without seeing each other's responses.</summary>
    private static string Scope(HttpContext http)
    {
        var tenant = http.User.FindFirst(PlatformClaims.TenantId)?.Value ?? "anonymous";
        var subject = http.User.FindFirst(PlatformClaims.Subject)?.Value ?? http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return $"{tenant}\n{subject}";
    }

    private sealed class ContentHttpResultWithStatus(string json, int status) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext) =>
            TypedResults.Content(json, "application/json", System.Text.Encoding.UTF8, status).ExecuteAsync(httpContext);
    }
}

/// <summary>
/// A response holding a secret that is shown once (a device key): the idempotency store keeps the response
/// without it, so a replay does not show the secret again and no store holds it in clear.
/// </summary>
public interface IShownOnce
{
    object WithoutSecrets();
}

/// <summary>Marks endpoints that honour <c>Idempotency-Key</c> (checked by the route-table tests).</summary>
public sealed class IdempotentEndpointMetadata;
