namespace ServerlessMobility.Platform.Http;

/// <summary>What kind of rule a request broke, in the domain's terms; the HTTP status is decided in one place.</summary>
public enum RuleKind
{
    /// <summary>The request is malformed (per-field errors).</summary>
    Invalid,

    /// <summary>The caller may not do this.</summary>
    Forbidden,

    /// <summary>The thing does not exist, or belongs to another tenant (never say which).</summary>
    NotFound,

    /// <summary>The request conflicts with the current state (a stale version, a duplicate).</summary>
    Conflict,

    /// <summary>Well formed, but a business rule says no.</summary>
    Unprocessable,

    /// <summary>The content (a document's type) is not one the rule accepts.</summary>
    UnsupportedContent,
}

/// <summary>
/// A broken rule, named in domain terms. Use cases and domain code throw these and never an HTTP status;
/// the single <see cref="ProblemDetailsExceptionHandler"/> maps each <see cref="RuleKind"/> to RFC 9457
/// problem details.
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

    public abstract RuleKind Kind { get; }

    public abstract string Title { get; }
}

/// <summary>The resource does not exist, or belongs to another tenant (never say which).</summary>
public sealed class ResourceNotFoundException(string resource, string id)
    : DomainException($"{resource} '{id}' was not found.")
{
    public override RuleKind Kind => RuleKind.NotFound;

    public override string Title => "Not found";
}

/// <summary>The request conflicts with the current state (a stale ETag, a duplicate).</summary>
public sealed class ConflictException(string message) : DomainException(message)
{
    public override RuleKind Kind => RuleKind.Conflict;

    public override string Title => "Conflict";
}

/// <summary>The request is well formed but breaks a business rule.</summary>
public sealed class BusinessRuleException(string rule, string message) : DomainException(message)
{
    public string Rule { get; } = rule;

    public override RuleKind Kind => RuleKind.Unprocessable;

    public override string Title => "Business rule violated";
}

/// <summary>The request is malformed; errors are per field.</summary>
public sealed class RequestValidationException(IDictionary<string, string[]> errors, string message = "One or more fields are invalid.")
    : DomainException(message)
{
    public IDictionary<string, string[]> Errors { get; } = errors;

    public override RuleKind Kind => RuleKind.Invalid;

    public override string Title => "Invalid request";

    public static RequestValidationException For(string field, string error) =>
        new(new Dictionary<string, string[]> { [field] = [error] });
}

/// <summary>Authenticated, but the caller's role does not allow this.</summary>
public sealed class ForbiddenException(string message) : DomainException(message)
{
    public override RuleKind Kind => RuleKind.Forbidden;

    public override string Title => "Forbidden";
}
