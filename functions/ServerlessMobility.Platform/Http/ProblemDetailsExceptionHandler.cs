using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace ServerlessMobility.Platform.Http;

/// <summary>
/// The one place that maps exceptions to RFC 9457 problem details. Anything unexpected is a 500
/// with no internals leaked; everything a client can cause maps to a 4xx; a dependency that is unreachable or
/// overloaded for now (<see cref="IDependencyFailureClassifier"/>) is a 503 with Retry-After.
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, IEnumerable<IDependencyFailureClassifier> dependencyFailures,
    ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(exception);
        // The exception handler middleware clears the endpoint before handlers run; its feature keeps it.
        var problem = ToProblem(exception, httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint());
        if (problem.Status == 500 && DependencyFailures.Find(exception, dependencyFailures) is { } dependency)
        {
            problem = DependencyUnavailable(dependency);
            httpContext.Response.Headers.RetryAfter = DependencyFailures.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            LogDependencyUnavailable(logger, exception, dependency, httpContext.Request.Method, httpContext.Request.Path, httpContext.TraceIdentifier);
        }
        else if (problem.Status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path, httpContext.TraceIdentifier);
        }
        else if (exception is BadHttpRequestException or JsonException)
        {
            // The framework's own words (type names, reader positions) are for us, under the trace id the client sees.
            LogRejected(logger, exception, httpContext.Request.Method, httpContext.Request.Path, httpContext.TraceIdentifier);
        }

        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    public static ProblemDetails ToProblem(Exception exception, Endpoint? endpoint = null) => exception switch
    {
        RequestValidationException validation => new HttpValidationProblemDetails(validation.Errors)
        {
            Status = 400,
            Title = validation.Title,
            Detail = validation.Message,
        },
        BusinessRuleException rule => new ProblemDetails
        {
            Status = StatusOf(rule.Kind),
            Title = rule.Title,
            Detail = rule.Message,
            Extensions = { ["rule"] = rule.Rule },
        },
        DomainException domain => new ProblemDetails { Status = StatusOf(domain.Kind), Title = domain.Title, Detail = domain.Message },
        StatusProblemException framework => new ProblemDetails { Status = framework.StatusCode, Title = framework.Title, Detail = framework.Message },
        BadHttpRequestException badRequest => ToProblem(ApiTerms.ForBinding(badRequest, endpoint)),
        JsonException json => ToProblem(ApiTerms.ForJson(json, endpoint)),
        _ => new ProblemDetails { Status = 500, Title = "Unexpected error", Detail = "The request could not be completed. It has been logged under the traceId of this answer." },
    };

    /// <summary>
    /// A 503 naming the dependency but nothing of its error. Whether the request changed anything before the dependency
    /// failed is not known here, so the client is told to retry the same request: writes take an Idempotency-Key
    /// (a retried key replays the first answer) or an If-Match ETag (a retried write after a success meets a 412/409).
    /// </summary>
    public static ProblemDetails DependencyUnavailable(string dependency) => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Title = "Service temporarily unavailable",
        Detail = $"{dependency} is not answering. Retry the same request after {DependencyFailures.RetryAfterSeconds} s (Retry-After); the traceId of this answer is logged.",
    };

    /// <summary>The one mapping from the domain's kinds of broken rule to HTTP statuses.</summary>
    public static int StatusOf(RuleKind kind) => kind switch
    {
        RuleKind.Invalid => StatusCodes.Status400BadRequest,
        RuleKind.Forbidden => StatusCodes.Status403Forbidden,
        RuleKind.NotFound => StatusCodes.Status404NotFound,
        RuleKind.Conflict => StatusCodes.Status409Conflict,
        RuleKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        RuleKind.UnsupportedContent => StatusCodes.Status415UnsupportedMediaType,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A rule kind without a status."),
    };

    /// <summary>Turns a domain exception into a typed result, for handlers that return results rather than throwing.</summary>
    public static ProblemHttpResult ToResult(Exception exception) => TypedResults.Problem(ToProblem(exception));

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path} (traceId {TraceId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Dependency} unavailable for {Method} {Path} (traceId {TraceId}): answered 503")]
    private static partial void LogDependencyUnavailable(ILogger logger, Exception exception, string dependency, string method, string path, string traceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected {Method} {Path} (traceId {TraceId})")]
    private static partial void LogRejected(ILogger logger, Exception exception, string method, string path, string traceId);
}
