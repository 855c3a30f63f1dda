using FluentValidation;

namespace ServerlessMobility.Platform.Http;

/// <summary>
/// The bridge from a use case's FluentValidation validator to the platform's 400: every failing field in one
/// answer, keyed by the field's JSON name (camelCase, as the client sent it), so clients and the OpenAPI
/// document see the same names whether a rule is declared by a validator or by the domain.
/// </summary>
public static class RequestValidation
{
    /// <exception cref="RequestValidationException">When any rule fails.</exception>
    public static void ValidateOrThrow<T>(this IValidator<T> validator, T request)
    {
        ArgumentNullException.ThrowIfNull(validator);
        var result = validator.Validate(request);
        if (result.IsValid)
        {
            return;
        }

        var errors = result.Errors
            .GroupBy(failure => JsonName(failure.PropertyName), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(failure => failure.ErrorMessage).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        throw new RequestValidationException(errors);
    }

    /// <summary><c>Prices[0].Country</c> becomes <c>prices[0].country</c>.</summary>
    public static string JsonName(string propertyPath)
    {
        ArgumentNullException.ThrowIfNull(propertyPath);
        return string.Join('.', propertyPath.Split('.').Select(segment =>
            segment.Length == 0 || char.IsLower(segment[0]) ? segment : string.Concat(char.ToLowerInvariant(segment[0]).ToString(), segment.AsSpan(1))));
    }
}
