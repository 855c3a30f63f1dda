using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace ServerlessMobility.Platform.Http;

/// <summary>
/// Says what was wrong with a request in the API's own terms (JSON paths, JSON types, parameter names), never in
/// .NET's (type names, reader positions): the framework's messages stay in the logs under the request's trace id.
/// </summary>
public static partial class ApiTerms
{
    /// <summary>A 400 for a body that is not JSON, or JSON of the wrong shape, keyed by the JSON path of the problem.</summary>
    public static RequestValidationException ForJson(JsonException exception, Endpoint? endpoint) =>
        ForJson(exception, endpoint?.Metadata.GetOrderedMetadata<IAcceptsMetadata>().Select(m => m.RequestType).LastOrDefault(t => t is not null));

    /// <summary>The same, for a body the handler reads itself as <paramref name="bodyType"/>.</summary>
    public static RequestValidationException ForJson(JsonException exception, Type? bodyType)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var path = string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path;
        if (exception.Message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return new RequestValidationException(new Dictionary<string, string[]> { [path] = ["JSON is nested too deeply (at most 32 levels)."] }, "The body is nested too deeply.");
        }

        if (IsSyntaxError(exception))
        {
            var where = exception.LineNumber is { } line && exception.BytePositionInLine is { } column
                ? $" (line {line + 1}, character {column + 1})"
                : string.Empty;
            return new RequestValidationException(new Dictionary<string, string[]> { [path] = [$"The body is not valid JSON{where}."] }, $"The body is not valid JSON{where}.");
        }

        var expected = ExpectedAt(bodyType, path);
        return new RequestValidationException(
            new Dictionary<string, string[]> { [path] = [expected is null ? "This value has the wrong type." : $"Expected {expected}."] },
            "A value in the body has the wrong JSON type.");
    }

    /// <summary>A 400 (or the framework's 413/415) for a request the endpoint could not bind, keyed by the parameter's name.</summary>
    public static Exception ForBinding(BadHttpRequestException exception, Endpoint? endpoint)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.InnerException is JsonException json)
        {
            return ForJson(json, endpoint);
        }

        var message = exception.Message;
        if (exception.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return new StatusProblemException(415, "Unsupported media type", "The body must be JSON (Content-Type: application/json).");
        }

        if (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new StatusProblemException(413, "Payload too large", "The body is larger than the limit.");
        }

        if (FailedToBind().Match(message) is { Success: true } failed)
        {
            var name = failed.Groups["name"].Value;
            var expected = Describe(ParameterType(endpoint, name));
            return RequestValidationException.For(name, expected is null ? "This value is not valid." : $"Expected {expected}.");
        }

        if (RequiredNotProvided().Match(message) is { Success: true } required)
        {
            var name = required.Groups["name"].Value;
            var source = required.Groups["source"].Value;
            return source.Contains("body", StringComparison.OrdinalIgnoreCase)
                ? new RequestValidationException(new Dictionary<string, string[]> { ["$"] = [$"A JSON body is required: {Describe(ParameterType(endpoint, name)) ?? "an object"}."] }, "A JSON body is required.")
                : RequestValidationException.For(name, "This parameter is required.");
        }

        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal) || message.Contains("body was provided", StringComparison.Ordinal))
        {
            return new RequestValidationException(new Dictionary<string, string[]> { ["$"] = ["A JSON body is required."] }, "A JSON body is required.");
        }

        return new StatusProblemException(exception.StatusCode, exception.StatusCode == 400 ? "Invalid request" : "Request refused", "The request could not be read.");
    }

    /// <summary>What the JSON at <paramref name="path"/> should have been, walking the request type by the path.</summary>
    public static string? ExpectedAt(Type? root, string path)
    {
        var type = root;
        foreach (Match segment in PathSegment().Matches(path))
        {
            if (type is null)
            {
                return null;
            }

            type = Nullable.GetUnderlyingType(type) ?? type;
            if (segment.Groups["index"].Success)
            {
                type = ElementType(type);
                continue;
            }

            var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value;
            if (DictionaryValueType(type) is { } valueType)
            {
                type = valueType;
                continue;
            }

            type = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.PropertyType;
        }

        return Describe(type);
    }

    /// <summary>A CLR type in JSON terms: "an integer", "an array", "one of: A, B", "an object".</summary>
    public static string? Describe(Type? type)
    {
        if (type is null)
        {
            return null;
        }

        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return Describe(underlying) + " or null";
        }

        if (type.IsEnum)
        {
            return "one of: " + string.Join(", ", Enum.GetNames(type));
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.String or TypeCode.Char => "a string",
            TypeCode.Boolean => "true or false",
            TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64 => "an integer",
            TypeCode.Decimal or TypeCode.Double or TypeCode.Single => "a number",
            TypeCode.DateTime => "a date-time string (ISO 8601, e.g. 2026-01-31T09:00:00Z)",
            _ when type == typeof(DateTimeOffset) => "a date-time string (ISO 8601, e.g. 2026-01-31T09:00:00Z)",
            _ when type == typeof(DateOnly) => "a date string (YYYY-MM-DD)",
            _ when type == typeof(TimeSpan) => "a duration string (hh:mm:ss)",
            _ when type == typeof(Guid) => "a UUID string",
            _ when type == typeof(Uri) => "a URI string",
            _ when type == typeof(JsonElement) || type == typeof(JsonNode) || type == typeof(object) => "a JSON value",
            _ when DictionaryValueType(type) is not null => "an object",
            _ when ElementType(type) is { } element => $"an array (of {Describe(element) ?? "values"})",
            _ => "an object",
        };
    }

    private static bool IsSyntaxError(JsonException exception) =>
        exception.InnerException?.GetType().Name == "JsonReaderException"
        || exception.Message.Contains("does not contain any JSON tokens", StringComparison.Ordinal)
        || exception.Message.Contains("is an invalid", StringComparison.Ordinal)
        || exception.Message.Contains("Expected depth to be zero", StringComparison.Ordinal)
        || exception.Message.Contains("end of data", StringComparison.Ordinal);

    private static Type? ParameterType(Endpoint? endpoint, string name) =>
        endpoint?.Metadata.GetMetadata<MethodInfo>()?.GetParameters()
            .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.ParameterType;

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0] ?? (typeof(IEnumerable).IsAssignableFrom(type) ? typeof(object) : null);
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(IDictionary<,>) || type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));
        return dictionary?.GetGenericArguments()[1];
    }

    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]*) (?<name>[^" ]+)" from""", RegexOptions.CultureInvariant)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("""^Required parameter "(?<type>[^"]*) (?<name>[^" ]+)" was not provided from (?<source>[^.]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex RequiredNotProvided();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\[(?<index>\d+)\]|\['(?<quoted>(?:[^']|'')*)'\]", RegexOptions.CultureInvariant)]
    private static partial Regex PathSegment();
}

/// <summary>A status the HTTP framework decided (413, 415, ...) with a problem-details text of our own; not a domain rule.</summary>
public sealed class StatusProblemException(int statusCode, string title, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;
}
