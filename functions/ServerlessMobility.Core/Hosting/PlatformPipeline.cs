using Microsoft.AspNetCore.Builder;
using ServerlessMobility.Core.Security.Protection;

namespace ServerlessMobility.Core.Hosting;

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
        app.UseAuthentication();
        app.UseRequestProtection();
        app.UseAuthorization();
        return app;
    }
}
