namespace ServerlessMobility.Core.Http;

/// <summary>
/// Exceptions that carry their own HTTP meaning. Throw them from use cases; the single
/// <see cref="ProblemDetailsExceptionHandler"/> turns them into RFC 9457 problem details.
/// </summary>
public abstract class DomainException : Exception
{
    protected DomainException(string message)
        : base(message)
    {
    }

    protected DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public abstract int StatusCode { get; }

    public abstract string Title { get; }
}

/// <summary>404: the resource does not exist, or belongs to another tenant (never say which).</summary>
public sealed class ResourceNotFoundException(string resource, string id)
    : DomainException($"{resource} '{id}' was not found.")
{
    public override int StatusCode => 404;

    public override string Title => "Not found";
}

/// <summary>409: the request conflicts with the current state (a stale ETag, a duplicate).</summary>
public sealed class ConflictException(string message) : DomainException(message)
{
    public override int StatusCode => 409;

    public override string Title => "Conflict";
}

/// <summary>422: the request is well formed but breaks a business rule.</summary>
public sealed class BusinessRuleException(string rule, string message) : DomainException(message)
{
    public string Rule { get; } = rule;

    public override int StatusCode => 422;

    public override string Title => "Business rule violated";
}

/// <summary>400: the request is malformed; errors are per field.</summary>
public sealed class RequestValidationException(IDictionary<string, string[]> errors, string message = "One or more fields are invalid.")
    : DomainException(message)
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public override int StatusCode => 400;

    public override string Title => "Invalid request";

    public static RequestValidationException For(string field, string error) =>
        new(new Dictionary<string, string[]> { [field] = [error] });
}

/// <summary>403: authenticated, but the caller's role does not allow this.</summary>
public sealed class ForbiddenException(string message) : DomainException(message)
{
    public override int StatusCode => 403;

    public override string Title => "Forbidden";
}
