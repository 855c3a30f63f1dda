using System.Diagnostics;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Durable.Tests;

/// <summary>How the local durable wiring starts, stops and shares task hubs, and what it does with names it does not know.</summary>
public class HostingTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_LeaseAcquireIntervalOverHalfTheLease_FailsValidationNamingBothSettings()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => DurableTestHost.StartAsync(emulators, settings: new Dictionary<string, string?>
        {
            ["Durable:LeaseInterval"] = "00:00:10",
            ["Durable:LeaseAcquireInterval"] = "00:00:06",
        }));

        Assert.Contains("Durable:LeaseAcquireInterval", error.Message, StringComparison.Ordinal);
        Assert.Contains("Durable:LeaseInterval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientOnlyHost_InstanceStartedBeforeAnyWorker_RunsOnceAWorkerJoinsTheTaskHub()
    {
        await using var clientOnly = await DurableTestHost.StartAsync(emulators, settings: new Dictionary<string, string?> { ["Durable:EnableWorker"] = "false" });
        var id = await clientOnly.Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Sequence, 2, Ct);
        await using var otherHub = await DurableTestHost.StartAsync(emulators);

        // A worker on another task hub (another storage prefix) neither sees nor runs it.
        var fromOtherHub = await otherHub.Client.GetInstanceAsync(id, Ct);
        var beforeWorker = await clientOnly.Client.GetInstanceAsync(id, Ct);
        await using var worker = await DurableTestHost.StartAsync(emulators, prefix: clientOnly.Prefix);
        var instance = await clientOnly.Client.WaitForFinishAsync(id);

        Assert.Null(fromOtherHub);
        Assert.Equal(OrchestrationRuntimeStatus.Pending, beforeWorker?.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal(30, instance.ReadOutputAs<int>());
    }

    [Fact]
    public async Task ScheduleNew_UnregisteredOrchestrator_InstanceFailsNamingIt()
    {
        await using var host = await DurableTestHost.StartAsync(emulators);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync("Test.NotRegistered", 1, Ct);
        var instance = await host.Client.WaitForFinishAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, instance.RuntimeStatus);
        Assert.Equal(typeof(InvalidOperationException).FullName, instance.FailureDetails?.ErrorType);
        Assert.Equal("No orchestrator named 'Test.NotRegistered' is registered on this host.", instance.FailureDetails?.ErrorMessage);
    }

    [Fact]
    public async Task CallActivity_UnregisteredActivity_OrchestratorCatchesTheFailure()
    {
        await using var host = await DurableTestHost.StartAsync(emulators);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.CallsMissingActivity, 1, Ct);
        var instance = await host.Client.WaitForFinishAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal($"System.InvalidOperationException: No activity named '{CallsMissingActivityOrchestrator.MissingActivity}' is registered on this host.", instance.ReadOutputAs<string>());
    }

    [Fact]
    public async Task StopAsync_CalledTwiceAtOnce_BothCompleteWithinTheStopTimeoutWithoutErrors()
    {
        var host = await DurableTestHost.StartAsync(emulators);
        var worker = host.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "LocalDurableTaskWorker");
        var watch = Stopwatch.StartNew();

        await Task.WhenAll(worker.StopAsync(Ct), worker.StopAsync(Ct));
        var elapsed = watch.Elapsed;
        await host.DisposeAsync();

        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"Stopping took {elapsed}.");
        Assert.DoesNotContain(host.Errors.Lines, line => line.Contains("LocalDurableTaskWorker", StringComparison.Ordinal));
    }
}
