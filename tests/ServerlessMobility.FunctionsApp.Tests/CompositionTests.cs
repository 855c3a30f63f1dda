using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moq;
using ServerlessMobility.Platform.Messaging;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.FunctionsApp.Messaging;
using ServerlessMobility.FunctionsApp.Vehicles;
using ServerlessMobility.FunctionsApp.Workflows;
using ServerlessMobility.RentToOwn.Partners;

namespace ServerlessMobility.FunctionsApp.Tests;

/// <summary>
/// The worker host built as in Azure (Azure-shaped settings, never run): every function class and every
/// orchestrator and activity must resolve in an invocation scope, the way the worker creates them, with Azure's
/// adapters and not the local simulators. A missing registration here is a function that fails only in Azure.
/// </summary>
public sealed class CompositionTests : IDisposable
{
    private readonly IHost _host = FunctionsHost.Build(FunctionsHost.AzureShapedSettings());

    [Fact]
    public void FunctionClasses_ResolveInAnInvocationScope()
    {
        var types = PublishedApp.Instance.Value.Functions
            .Select(f => typeof(FunctionsAppComposition).Assembly.GetType(f.EntryPoint[..f.EntryPoint.LastIndexOf('.')])!)
            .Distinct()
            .Where(t => !t.IsAbstract || !t.IsSealed);
        using var scope = _host.Scope();

        var failures = Failures(types, type => ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));

        Assert.Empty(failures);
    }

    /// <summary>Each activity function binds the client and hands it over before resolving the activity (DurableFunctions.RunActivityAsync).</summary>
    [Fact]
    public void Activities_ResolveInAnInvocationScopeThatBoundTheClient()
    {
        var registry = _host.Services.GetRequiredService<WorkflowRegistry>();

        var failures = Failures(registry.Activities.Values, type =>
        {
            using var scope = _host.Scope();
            scope.ServiceProvider.GetRequiredService<InvocationDurableClient>().Use(new Mock<DurableTaskClient>("test").Object);
            return scope.ServiceProvider.GetRequiredService(type);
        });

        Assert.Empty(failures);
    }

    [Fact]
    public void Orchestrators_Resolve()
    {
        var registry = _host.Services.GetRequiredService<WorkflowRegistry>();
        using var scope = _host.Scope();

        var failures = Failures(registry.Orchestrators.Values, type => scope.ServiceProvider.GetRequiredService(type));

        Assert.Empty(failures);
    }

    /// <summary>Without the binding a core service that uses the client says which function is at fault, instead of a null.</summary>
    [Fact]
    public async Task DurableClient_NotHandedOverByTheFunction_FailsNamingTheMissingBinding()
    {
        using var scope = _host.Scope();
        var client = scope.ServiceProvider.GetRequiredService<DurableTaskClient>();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetInstanceAsync("any", TestContext.Current.CancellationToken));

        Assert.Contains("[DurableClient]", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>The extension caches the bound client for later invocations: ending the scope must leave it open.</summary>
    [Fact]
    public async Task InvocationScope_Ends_DoesNotDisposeTheBoundClient()
    {
        var bound = new Mock<DurableTaskClient>("bound");
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<InvocationDurableClient>().Use(bound.Object);
            _ = scope.ServiceProvider.GetRequiredService<DurableTaskClient>();
        }

        bound.Verify(c => c.DisposeAsync(), Times.Never);
    }

    [Fact]
    public void Ports_UseTheAzureAdaptersNotTheLocalSimulators()
    {
        using var scope = _host.Scope();
        var services = scope.ServiceProvider;

        Assert.IsType<IoTHubDirectMethodChannel>(services.GetRequiredService<IVehicleCommandChannel>());
        Assert.IsType<ServiceBusMessageBus>(services.GetRequiredService<IMessageBus>());
        Assert.IsType<HttpMobileMoneyGateway>(services.GetRequiredService<IMobileMoneyGateway>());
        Assert.IsType<ServerlessMobility.CarAsAService.Partners.HttpCardPayments>(services.GetRequiredService<ServerlessMobility.CarAsAService.Features.ICardPayments>());
        Assert.IsType<Showroom.AzureAiVehicleSearch>(services.GetRequiredService<ServerlessMobility.Showroom.Search.IVehicleSearch>());
        Assert.IsType<ServerlessMobility.Showroom.LiveUpdates.AzureSignalRInventoryChangeBroadcaster>(
            services.GetRequiredService<ServerlessMobility.Showroom.LiveUpdates.IInventoryChangeBroadcaster>());
        Assert.IsType<ServerlessMobility.Showroom.Leaderboards.AzureSignalRLeaderboardChanges>(
            services.GetRequiredService<ServerlessMobility.Showroom.Leaderboards.ILeaderboardChanges>());
    }

    /// <summary>Watch the resolution check fail once: a type whose dependency nobody registered is reported.</summary>
    [Fact]
    public void Failures_ReportATypeWhoseDependenciesAreMissing()
    {
        using var scope = _host.Scope();

        var failures = Failures([typeof(NeedsAnUnregisteredPort)], type => ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));

        Assert.Single(failures);
    }

    private interface IUnregisteredPort;

    private sealed class NeedsAnUnregisteredPort(IUnregisteredPort port)
    {
        public IUnregisteredPort Port { get; } = port;
    }

    public void Dispose() => _host.Dispose();

    private static List<string> Failures(IEnumerable<Type> types, Func<Type, object> resolve)
    {
        var failures = new List<string>();
        foreach (var type in types)
        {
            try
            {
                resolve(type);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or Microsoft.Extensions.Options.OptionsValidationException)
            {
                failures.Add($"{type.Name}: {ex.Message}");
            }
        }

        return failures;
    }
}
