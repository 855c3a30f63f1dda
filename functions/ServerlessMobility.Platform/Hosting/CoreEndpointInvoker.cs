using System.Collections.ObjectModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;

namespace ServerlessMobility.Platform.Hosting;

/// <summary>
/// Runs a core API endpoint for a request that another router already matched: the Azure Functions
/// app's HTTP functions each make one call here with their route key ("GET /api/orders/{id}"). The
/// endpoints are the ones <see cref="ServerlessMobilityApi.MapServerlessMobilityApi"/> maps for the
/// local host, run behind the same <see cref="PlatformPipeline"/>, so both hosts answer alike.
/// </summary>
public sealed class CoreEndpointInvoker
{
    private readonly IReadOnlyDictionary<string, (RouteEndpoint Endpoint, TemplateMatcher Matcher)> _endpoints;
    private readonly RequestDelegate _pipeline;

    public CoreEndpointInvoker(IServiceProvider services)
    {
        var routes = new EndpointCatalogBuilder(services);
        routes.MapServerlessMobilityApi();
        _endpoints = routes.DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(method => (Key: RouteKey(method, e.RoutePattern.RawText!), Endpoint: e)))
            .ToDictionary(
                x => x.Key,
                x => (x.Endpoint, new TemplateMatcher(TemplateParser.Parse(x.Endpoint.RoutePattern.RawText!.TrimStart('/')), new RouteValueDictionary(x.Endpoint.RoutePattern.Defaults))),
                StringComparer.OrdinalIgnoreCase);

        var app = new ApplicationBuilder(services);
        app.UsePlatformPipeline();
        app.Run(http => http.GetEndpoint()!.RequestDelegate!(http));
        _pipeline = app.Build();
    }

    /// <summary>"METHOD /route/{pattern}" for every endpoint, the keys HTTP functions bind to.</summary>
    public IReadOnlyCollection<string> RouteKeys => new ReadOnlyCollection<string>([.. _endpoints.Keys]);

    public static string RouteKey(string method, string pattern) => $"{method.ToUpperInvariant()} {pattern}";

    /// <exception cref="KeyNotFoundException">No core endpoint has that route key: the binding is out of date.</exception>
    public async Task InvokeAsync(HttpContext http, string routeKey)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!_endpoints.TryGetValue(routeKey, out var entry))
        {
            throw new KeyNotFoundException($"No core endpoint for '{routeKey}'.");
        }

        var values = new RouteValueDictionary();
        if (!entry.Matcher.TryMatch(http.Request.Path, values))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        http.Request.RouteValues = values;
        http.SetEndpoint(entry.Endpoint);
        await _pipeline(http);
    }

    /// <summary>A route builder that only collects endpoints, so they can be run without routing middleware.</summary>
    private sealed class EndpointCatalogBuilder(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider { get; } = services;

        public ICollection<EndpointDataSource> DataSources { get; } = [];

        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(ServiceProvider);
    }
}
