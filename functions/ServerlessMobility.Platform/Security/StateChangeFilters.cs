using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServerlessMobility.Platform.Security;

/// <summary>
/// What a state-changing endpoint's call is made of, for fingerprints and audit hashes: the bound
/// arguments that come from the request (body, route, query), never injected services.
/// </summary>
internal sealed class RequestContentSelector
{
    private readonly int[] _contentArgumentIndexes;

    public RequestContentSelector(MethodInfo method, IServiceProvider services)
    {
        var isService = services.GetService<IServiceProviderIsService>();
        _contentArgumentIndexes = method.GetParameters()
            .Select((parameter, index) => (parameter, index))
            .Where(p => IsRequestContent(p.parameter, isService))
            .Select(p => p.index)
            .ToArray();
    }

    public string Serialize(EndpointFilterInvocationContext context, JsonSerializerOptions options)
    {
        var values = _contentArgumentIndexes.Where(i => i < context.Arguments.Count).Select(i => context.Arguments[i]).ToArray();
        return JsonSerializer.Serialize(values, options);
    }

    private static bool IsRequestContent(ParameterInfo parameter, IServiceProviderIsService? isService)
    {
        var type = parameter.ParameterType;
        if (type == typeof(HttpContext) || type == typeof(CancellationToken) || type == typeof(System.Security.Claims.ClaimsPrincipal)
            || type == typeof(HttpRequest) || type == typeof(HttpResponse) || type.IsInterface || type.IsAbstract)
        {
            return false;
        }

        if (parameter.GetCustomAttributes().Any(a => a is Microsoft.AspNetCore.Mvc.FromServicesAttribute or FromKeyedServicesAttribute))
        {
            return false;
        }

        return isService?.IsService(type) != true;
    }
}

internal static class EndpointFilterHelpers
{
    public static string? HttpMethod(EndpointBuilder endpoint) =>
        endpoint.Metadata.OfType<IHttpMethodMetadata>().FirstOrDefault()?.HttpMethods is [var first, ..] ? first : null;

    public static bool AllowsAnonymous(EndpointBuilder endpoint) =>
        endpoint.Metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any();

    public static string RoutePattern(EndpointFilterInvocationContext context) =>
        (context.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.HttpContext.Request.Path.Value ?? string.Empty;

    public static JsonSerializerOptions JsonOptions(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    public static (int Status, object? Value, string? Location) Describe(object? result) => result switch
    {
        // A Results<A, B> union: the outcome is the one it holds (a 201 replayed as a 201, not as the union's default 200).
        INestedHttpResult nested => Describe(nested.Result),
        IResult r => (
            (r as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK,
            (r as IValueHttpResult)?.Value,
            r.GetType().GetProperty("Location")?.GetValue(r) as string),
        null => (StatusCodes.Status200OK, null, null),
        _ => (StatusCodes.Status200OK, result, null),
    };

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
