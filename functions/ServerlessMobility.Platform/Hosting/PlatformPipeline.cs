using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ServerlessMobility.Platform.Security.Protection;

namespace ServerlessMobility.Platform.Hosting;

/// <summary>
/// The middleware every API request passes through, in one place so that the local host and the
/// Azure Functions app run exactly the same pipeline: problem details for failures, authentication,
/// abuse protection, then authorization against the endpoint's roles.
/// </summary>
public static class PlatformPipeline
{
    /// <summary>Expects the endpoint to be selected already (routing, or <see cref="CoreEndpointInvoker"/>).</summary>
    public static IApplicationBuilder UsePlatformPipeline(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRoutingRejectionsWithoutAuthentication();
        app.UseAuthentication();
        app.UseRequestProtection();
        app.UseAuthorization();
        return app;
    }

    /// <summary>
    /// Routing answers a request whose method or content type no endpoint of its route accepts with an endpoint of
    /// its own (405, 415) that carries no metadata, so the fallback authorization policy would ask it for a token and
    /// turn a 415 from an anonymous route (dev token, webhooks) into a 401. Those endpoints run no handler and say
    /// nothing the OpenAPI document does not: let them answer.
    /// </summary>
    private static IApplicationBuilder UseRoutingRejectionsWithoutAuthentication(this IApplicationBuilder app) =>
        app.Use((http, next) =>
        {
            if (http.GetEndpoint() is { } endpoint && endpoint.DisplayName is "415 HTTP Unsupported Media Type" or "405 HTTP Method Not Supported"
                && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null)
            {
                http.SetEndpoint(new Endpoint(endpoint.RequestDelegate, new EndpointMetadataCollection([.. endpoint.Metadata, new AllowAnonymousAttribute()]), endpoint.DisplayName));
            }

            return next(http);
        });
}
