using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.FunctionsApp.Tests;

/// <summary>
/// What the Functions host will find in the published app: every core route, orchestrator and activity bound
/// once, with the right trigger, and nothing bound that the core lacks.
/// </summary>
public sealed class PublishedMetadataTests : IDisposable
{
    private static readonly PublishedApp App = PublishedApp.Instance.Value;
    private readonly IHost _host = FunctionsHost.Build(FunctionsHost.AzureShapedSettings());

    [Fact]
    public void HttpFunctions_BindEveryCoreRouteExactlyOnce()
    {
        var coreRoutes = _host.Services.GetRequiredService<CoreEndpointInvoker>().RouteKeys.Order(StringComparer.Ordinal);

        var bound = App.WithTrigger("httpTrigger").SelectMany(f => f.RouteKeys).Order(StringComparer.Ordinal);

        Assert.Equal(coreRoutes, bound);
    }

    [Fact]
    public void OrchestratorFunctions_AreTheRegistrysOrchestratorsByName()
    {
        var registry = _host.Services.GetRequiredService<WorkflowRegistry>();

        Assert.Equal(registry.Orchestrators.Keys.Order(StringComparer.Ordinal), App.WithTrigger("orchestrationTrigger").Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ActivityFunctions_AreTheRegistrysActivitiesByName()
    {
        var registry = _host.Services.GetRequiredService<WorkflowRegistry>();

        Assert.Equal(registry.Activities.Keys.Order(StringComparer.Ordinal), App.WithTrigger("activityTrigger").Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The worker hands out Durable's client only as a binding, and core services resolve it from the invocation
    /// (endpoints start and signal workflows, the feature activation's billing activity starts a workflow): a
    /// function that forgot the binding would fail at run time in Azure only.
    /// </summary>
    [Fact]
    public void HttpAndActivityFunctions_BindTheDurableClient()
    {
        var missing = App.WithTrigger("httpTrigger").Concat(App.WithTrigger("activityTrigger")).Where(f => !f.Binds("durableClient"));

        Assert.Empty(missing);
    }

    [Fact]
    public void EveryFunction_EntryPointIsAPublicMethodOfTheAppAssembly()
    {
        var assembly = typeof(FunctionsAppComposition).Assembly;

        var unresolved = App.Functions.Where(f =>
        {
            var split = f.EntryPoint.LastIndexOf('.');
            var type = assembly.GetType(f.EntryPoint[..split]);
            return f.ScriptFile != "ServerlessMobility.FunctionsApp.dll"
                || type?.GetMethod(f.EntryPoint[(split + 1)..], BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static) is null;
        });

        Assert.Empty(unresolved);
        Assert.Equal(App.Functions.Count, App.Functions.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void TimerFunctions_OfflineCheckAndReconcilerEveryFiveMinutes_NotificationDispatchEveryThirtySeconds_AuditAnchorsHourly()
    {
        var timers = App.WithTrigger("timerTrigger").ToDictionary(t => t.Name, StringComparer.Ordinal);

        Assert.Equal(["AnchorAuditLedgers", "CheckVehiclesOffline", "DispatchNotifications", "ReconcileFeatureActivations"], timers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("0 0 * * * *", timers["AnchorAuditLedgers"].Trigger.Property("schedule"));
        Assert.Equal("0 */5 * * * *", timers["CheckVehiclesOffline"].Trigger.Property("schedule"));
        Assert.Equal("0 */5 * * * *", timers["ReconcileFeatureActivations"].Trigger.Property("schedule"));
        // Deferred (quiet hours) and retried notifications wait on a queue; the dispatcher looks for due ones.
        Assert.Equal("*/30 * * * * *", timers["DispatchNotifications"].Trigger.Property("schedule"));
        Assert.Contains(timers["ReconcileFeatureActivations"].Bindings, b => b.Type == "durableClient");
    }

    [Fact]
    public void HostExtensions_IncludeDurableTaskAndTheWorkerRunsTheAppAssembly()
    {
        var extensions = App.Extensions["extensions"]!.AsArray().Select(e => e!["name"]!.ToString());

        Assert.Contains("DurableTask", extensions);
        Assert.Equal("ServerlessMobility.FunctionsApp.dll", App.WorkerConfig["description"]!["defaultWorkerPath"]!.ToString());
        Assert.Equal("dotnet-isolated", App.WorkerConfig["description"]!["language"]!.ToString());
        Assert.True(File.Exists(Path.Combine(App.Directory, "host.json")), "host.json is published with the app.");
    }

    /// <summary>
    /// The Event Hubs trigger is compiled only in the full-feed build; here its absence is expected, and nothing
    /// else may be missing (the list of Azure-only files is docs/deploy-azure.md's).
    /// </summary>
    [Fact]
    public void AzureOnlyFiles_AreExactlyTheEventHubsIngestion()
    {
        var azureOnly = Directory.GetFiles(Testing.RepositoryPaths.InRoot("functions", "ServerlessMobility.FunctionsApp", "AzureOnly"), "*.cs")
            .Select(Path.GetFileName);

        Assert.Equal(["TelemetryIngestionFunction.cs"], azureOnly);
        Assert.DoesNotContain(App.Functions, f => f.Trigger.Type == "eventHubTrigger");
    }

    public void Dispose() => _host.Dispose();
}
