using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Http.Benchmarks;

/// <summary>
/// Kestrel with routing and one endpoint that answers what <c>GET /api/me</c> answers, and nothing else: no exception
/// handler, authentication, rate limiter or authorization, no logging. Loaded with the same wrk settings in the same run
/// as the local host, it is what this machine, this .NET and this wrk can do over HTTP at all; the local host's figures
/// divided by it are what the platform's pipeline keeps of that, which is comparable between machines.
/// </summary>
internal static class BareKestrel
{
    public static async Task RunAsync(string url)
    {
        var uri = new Uri(url);
        if (!IPAddress.TryParse(uri.Host, out var address) || !IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"The baseline listens on loopback only; '{url}' is not.", nameof(url));
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseKestrelCore().UseUrls(url);
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var me = new MeResponse("load-user", "load-tenant", ["dealer-staff"]);
        app.MapGet("/api/me", () => TypedResults.Ok(me));
        await app.RunAsync();
    }
}
