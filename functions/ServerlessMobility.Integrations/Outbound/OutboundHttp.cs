using Microsoft.Extensions.DependencyInjection;

namespace ServerlessMobility.Integrations.Outbound;

/// <summary>Timeouts and retries of every call to a partner (factory, payment providers, registration offices, mobile money).</summary>
public class OutboundHttpPolicy
{
    /// <summary>
    /// Where every module reads the shared policy. The section keeps the name it had when Car-as-a-Service was the
    /// only module with partners, so deployed app settings stay valid.
    /// </summary>
    public const string PolicySectionName = "CarAsAService:Outbound";

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First retry delay; later ones back off exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);
}

public static class OutboundHttp
{
    /// <summary>
    /// A typed HTTP client for a partner port with the policy's timeouts, circuit breaker and retries. Retries
    /// cover connection failures, timeouts, 5xx and 429 only: every adapter sends an Idempotency-Key, so
    /// retrying a POST is safe. A missing base URL fails when the client is first used, not at start-up, so a
    /// host that never calls that partner starts without it.
    /// </summary>
    public static IHttpClientBuilder AddPartnerHttpClient<TPort, TAdapter>(this IServiceCollection services, OutboundHttpPolicy policy, Uri? baseUrl, string baseUrlSetting)
        where TPort : class
        where TAdapter : class, TPort
    {
        ArgumentNullException.ThrowIfNull(policy);
        var builder = services.AddHttpClient<TPort, TAdapter>(client =>
            client.BaseAddress = baseUrl ?? throw new InvalidOperationException($"{baseUrlSetting}: the base URL for {typeof(TPort).Name} is required."));
        builder.AddStandardResilienceHandler(resilience =>
        {
            resilience.AttemptTimeout.Timeout = policy.AttemptTimeout;
            resilience.TotalRequestTimeout.Timeout = policy.TotalTimeout;
            resilience.CircuitBreaker.SamplingDuration = policy.AttemptTimeout * 2 > TimeSpan.FromSeconds(30) ? policy.AttemptTimeout * 2 : TimeSpan.FromSeconds(30);
            resilience.Retry.MaxRetryAttempts = policy.MaxRetryAttempts;
            resilience.Retry.UseJitter = true;
            resilience.Retry.Delay = policy.RetryBaseDelay;
            resilience.Retry.ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                || (args.Outcome.Result is { } r && ((int)r.StatusCode >= 500 || r.StatusCode == System.Net.HttpStatusCode.TooManyRequests)));
        });
        return builder;
    }
}
