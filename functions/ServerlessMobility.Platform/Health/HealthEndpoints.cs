using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ServerlessMobility.Platform.Health;

/// <summary>
/// <c>GET /api/health</c>: every registered dependency check (storage, Cosmos DB, broker…) with its
/// state; 200 when all are healthy, 503 naming the ones that are not.
/// </summary>
public static class HealthEndpoints
{
    public static RouteHandlerBuilder MapHealth(this IEndpointRouteBuilder api)
    {
        return api.MapGet("/health", GetHealthAsync)
            .WithName("GetHealth")
            .WithTags("Health")
            .Produces<HealthReportResponse>(StatusCodes.Status503ServiceUnavailable)
            .AllowAnonymous();
    }

    public static async Task<JsonHttpResult<HealthReportResponse>> GetHealthAsync(HealthCheckService healthChecks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(healthChecks);
        var report = await healthChecks.CheckHealthAsync(cancellationToken);
        var response = new HealthReportResponse(
            Status: report.Status.ToString(),
            TotalDurationMs: Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            Dependencies: report.Entries.ToDictionary(
                e => e.Key,
                e => new DependencyHealth(e.Value.Status.ToString(), e.Value.Description ?? (e.Value.Exception is null ? null : "Unavailable (the host's logs say why)."), Math.Round(e.Value.Duration.TotalMilliseconds, 1))));
        var statusCode = report.Status == HealthStatus.Healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        return TypedResults.Json(response, statusCode: statusCode);
    }
}

public sealed record HealthReportResponse(string Status, double TotalDurationMs, IReadOnlyDictionary<string, DependencyHealth> Dependencies);

public sealed record DependencyHealth(string Status, string? Description, double DurationMs);
