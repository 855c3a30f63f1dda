using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Core.Hosting;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Testing;

namespace ServerlessMobility.FunctionsApp.Tests;

/// <summary>
/// The Azure Functions app cannot be compiled here, so these tests hold it to the core: every core
/// route has exactly one HTTP function with the same method and route, every workflow and activity
/// has its trigger, nothing is bound that the core lacks, and every function is a single call.
/// </summary>
public class FunctionsAppConsistencyTests(PlatformEmulators emulators)
{
    private static readonly FunctionBindings App = FunctionBindings.FromDirectory(RepositoryPaths.InRoot("functions", "ServerlessMobility.FunctionsApp"));

    private LocalHostFactory Host()
    {
        var factory = new LocalHostFactory(emulators);
        factory.Settings["Mqtt:Enabled"] = "false";
        return factory;
    }

    [Fact]
    public async Task HttpFunctions_MatchTheCoreRoutesExactly()
    {
        await using var host = Host();
        using var client = host.CreateClient();
        var coreRoutes = host.Services.GetRequiredService<CoreEndpointInvoker>().RouteKeys.Order(StringComparer.Ordinal).ToArray();

        var bound = App.Http.SelectMany(b => b.Methods.Select(m => CoreEndpointInvoker.RouteKey(m, "/api/" + b.Route))).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(coreRoutes, bound);
    }

    [Fact]
    public void HttpFunctions_InvokeTheRouteTheirTriggerDeclares()
    {
        var mismatched = App.Http
            .Where(b => b.Methods.Count != 1 || b.RouteKey != CoreEndpointInvoker.RouteKey(b.Methods[0], "/api/" + b.Route))
            .Select(b => $"{b.FunctionName}: trigger {string.Join(',', b.Methods)} {b.Route}, invokes {b.RouteKey}");

        Assert.Empty(mismatched);
    }

    [Fact]
    public async Task WorkflowAndActivityFunctions_MatchTheCoreRegistry()
    {
        await using var host = Host();
        using var client = host.CreateClient();
        var registry = host.Services.GetRequiredService<WorkflowRegistry>();

        Assert.Equal(registry.Workflows.Keys.Order(StringComparer.Ordinal), App.Orchestrators.Select(o => o.FunctionName).Order(StringComparer.Ordinal));
        Assert.Equal(registry.Activities.Keys.Order(StringComparer.Ordinal), App.Activities.Select(a => a.FunctionName).Order(StringComparer.Ordinal));
        Assert.All(App.Orchestrators.Concat(App.Activities), b => Assert.Equal(b.FunctionName, b.TargetName));
    }

    /// <summary>
    /// Telemetry arrives by an Event Hubs trigger in Azure and by the MQTT broker locally; both must
    /// reach the same pipeline call, and the periodic offline check must run in both hosts.
    /// </summary>
    [Fact]
    public void TelemetryTriggers_CallThePipelineTheLocalHostCalls()
    {
        var localIngestion = File.ReadAllText(RepositoryPaths.InRoot("functions", "ServerlessMobility.LocalHost", "Telemetry", "MqttTelemetryIngestion.cs"));
        string[] pipelineCalls = [nameof(Core.Telemetry.TelemetryPipeline.ProcessAsync), nameof(Core.Telemetry.TelemetryPipeline.CheckOfflineAsync)];

        var eventHub = Assert.Single(App.Triggers, t => t.Trigger == "EventHubTrigger");
        Assert.Equal(nameof(Core.Telemetry.TelemetryPipeline.ProcessAsync), eventHub.CoreCall);
        Assert.Equal(pipelineCalls.Order(StringComparer.Ordinal), App.Triggers.Select(t => t.CoreCall).Order(StringComparer.Ordinal));
        Assert.All(pipelineCalls, call => Assert.Contains("pipeline." + call + "(", localIngestion, StringComparison.Ordinal));
    }

    [Fact]
    public void Functions_AreSingleCallsIntoTheCore()
    {
        Assert.Empty(App.NotThin);
        Assert.Equal(App.Http.Count, App.Http.Select(b => b.FunctionName).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void ProgramWiresTheSameCoreServicesAsTheLocalHost()
    {
        var program = File.ReadAllText(RepositoryPaths.InRoot("functions", "ServerlessMobility.FunctionsApp", "Program.cs"));
        var localHost = File.ReadAllText(RepositoryPaths.InRoot("functions", "ServerlessMobility.LocalHost", "LocalHostApplication.cs"));

        Assert.Contains("builder.AddServerlessMobility();", program, StringComparison.Ordinal);
        Assert.Contains("builder.AddServerlessMobility();", localHost, StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_DetectsAWrongRouteAndABlockBody()
    {
        // Watch the checks fail once on a binding that is out of step with the core.
        var bindings = FunctionBindings.FromSources(["""
            public sealed class Broken(CoreEndpointInvoker api)
            {
                [Function("GetMe")]
                public Task GetMe([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "myself")] HttpRequest request) =>
                    api.InvokeAsync(request.HttpContext, "GET /api/me");

                [Function("Thick")]
                public async Task Thick([ActivityTrigger] string input) { await Task.Delay(1); }
            }
            """]);

        var http = Assert.Single(bindings.Http);
        Assert.NotEqual(http.RouteKey, CoreEndpointInvoker.RouteKey(http.Methods[0], "/api/" + http.Route));
        Assert.Equal(["Thick"], bindings.NotThin);
        Assert.Equal("Thick", Assert.Single(bindings.Activities).FunctionName);
    }
}
