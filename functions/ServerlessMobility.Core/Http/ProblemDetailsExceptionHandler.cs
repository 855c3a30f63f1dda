using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace ServerlessMobility.Core.Http;

/// <summary>
/// The one place that maps exceptions to RFC 9457 problem details. Anything unexpected is a 500
/// with no internals leaked; everything a client can cause maps to a 4xx.
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var problem = ToProblem(exception);
        if (problem.Status >= 500)
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    public static ProblemDetails ToProblem(Exception exception) => exception switch
    {
        RequestValidationException validation => new HttpValidationProblemDetails(validation.Errors)
        {
            Status = 400,
            Title = validation.Title,
            Detail = validation.Message,
        },
        BusinessRuleException rule => new ProblemDetails
        {
            Status = rule.StatusCode,
            Title = rule.Title,
            Detail = rule.Message,
            Extensions = { ["rule"] = rule.Rule },
        },
        DomainException domain => new ProblemDetails { Status = domain.StatusCode, Title = domain.Title, Detail = domain.Message },
        BadHttpRequestException badRequest => new ProblemDetails
        {
            Status = badRequest.StatusCode,
            Title = badRequest.StatusCode == 413 ? "Payload too large" : "Invalid request",
            Detail = badRequest.InnerException is JsonException json ? $"The JSON body is invalid: {json.Message}" : badRequest.Message,
        },
        JsonException json => new ProblemDetails { Status = 400, Title = "Invalid request", Detail = $"The JSON body is invalid: {json.Message}" },
        _ => new ProblemDetails { Status = 500, Title = "Unexpected error", Detail = "The request could not be completed. It has been logged." },
    };

    /// <summary>Turns a domain exception into a typed result, for handlers that return results rather than throwing.</summary>
    public static ProblemHttpResult ToResult(Exception exception) => TypedResults.Problem(ToProblem(exception));

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
