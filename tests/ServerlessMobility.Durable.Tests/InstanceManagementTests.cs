using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Durable.Tests;

/// <summary>Terminate, suspend and resume, purge and list through the SDK's client on the local task hub.</summary>
public class InstanceManagementTests(SharedTaskHub hub) : IClassFixture<SharedTaskHub>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DurableTaskClient Client => hub.Host.Client;

    private static string NewId(string name) => $"{name}-{Guid.NewGuid():N}";

    [Fact]
    public async Task TerminateInstance_WaitingInstanceWithOutput_BecomesTerminatedWithThatOutput()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Approval, 0, new StartOrchestrationOptions(NewId("terminate")), Ct);
        await Client.WaitForInstanceAsync(id, i => i.SerializedCustomStatus is not null, "waiting for approval");

        await Client.TerminateInstanceAsync(id, new TerminateInstanceOptions { Output = "customer cancelled" }, Ct);
        var instance = await Client.WaitForFinishAsync(id);
        var history = await Client.GetOrchestrationHistoryAsync(id, Ct);

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, instance.RuntimeStatus);
        Assert.Equal("customer cancelled", instance.ReadOutputAs<string>());
        Assert.Single(history.OfType<ExecutionTerminatedEvent>());
        Assert.DoesNotContain(history, e => e is ExecutionCompletedEvent { OrchestrationStatus: DurableTask.Core.OrchestrationStatus.Completed });
    }

    [Fact]
    public async Task SuspendResume_EventRaisedWhileSuspended_IsDeliveredAfterResume()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Approval, 0, new StartOrchestrationOptions(NewId("suspend")), Ct);
        await Client.WaitForInstanceAsync(id, i => i.SerializedCustomStatus is not null, "waiting for approval");

        await Client.SuspendInstanceAsync(id, "investigating", Ct);
        await Client.WaitForInstanceAsync(id, i => i.RuntimeStatus == OrchestrationRuntimeStatus.Suspended, "suspended");
        await Client.RaiseEventAsync(id, TestOrchestrations.ApprovalEvent, "ops-lead", Ct);

        // The instance took the event in (it is in the history) and still did not act on it.
        await Eventually.UntilAsync(async () => (await Client.GetOrchestrationHistoryAsync(id, Ct)).OfType<EventRaisedEvent>().Any(), "the event to reach the suspended instance");
        var whileSuspended = await Client.GetInstanceAsync(id, getInputsAndOutputs: true, Ct);
        await Client.ResumeInstanceAsync(id, "checked", Ct);
        var instance = await Client.WaitForFinishAsync(id);

        Assert.Equal(OrchestrationRuntimeStatus.Suspended, whileSuspended?.RuntimeStatus);
        Assert.Equal(new ApprovalStatus("waiting", null), whileSuspended?.ReadCustomStatusAs<ApprovalStatus>());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal("approved by ops-lead", instance.ReadOutputAs<string>());
    }

    [Fact]
    public async Task PurgeInstance_CompletedInstance_DeletesItOnce()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Sequence, 1, new StartOrchestrationOptions(NewId("purge")), Ct);
        await Client.WaitForFinishAsync(id);

        var purged = await Client.PurgeInstanceAsync(id, Ct);
        var purgedAgain = await Client.PurgeInstanceAsync(id, Ct);

        Assert.Equal(1, purged.PurgedInstanceCount);
        Assert.Equal(0, purgedAgain.PurgedInstanceCount);
        Assert.Null(await Client.GetInstanceAsync(id, Ct));
        Assert.Empty(await Client.GetOrchestrationHistoryAsync(id, Ct));
    }

    [Fact]
    public async Task GetAllInstances_PrefixStatusAndPageSize_PagesWithContinuationTokens()
    {
        var prefix = NewId("list") + ":";
        var completed = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            completed.Add(await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Sequence, 1, new StartOrchestrationOptions($"{prefix}{i}"), Ct));
        }

        var running = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Approval, 0, new StartOrchestrationOptions(prefix + "waiting"), Ct);
        var elsewhere = await Client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Sequence, 1, new StartOrchestrationOptions(NewId("other")), Ct);
        foreach (var id in completed.Append(elsewhere))
        {
            await Client.WaitForFinishAsync(id);
        }

        await Client.WaitForInstanceAsync(running, i => i.RuntimeStatus == OrchestrationRuntimeStatus.Running, "running");

        var query = new OrchestrationQuery { InstanceIdPrefix = prefix, Statuses = [OrchestrationRuntimeStatus.Completed], PageSize = 2 };
        var pages = new List<Page<OrchestrationMetadata>>();
        await foreach (var page in Client.GetAllInstancesAsync(query).AsPages().WithCancellation(Ct))
        {
            pages.Add(page);
        }

        var resumed = await FirstPageAsync(query with { ContinuationToken = pages[0].ContinuationToken });
        var waiting = await FirstPageAsync(new OrchestrationQuery { InstanceIdPrefix = prefix, Statuses = [OrchestrationRuntimeStatus.Running] });
        var everything = await FirstPageAsync(new OrchestrationQuery { InstanceIdPrefix = prefix });

        Assert.Equal(completed, pages.SelectMany(p => p.Values).Select(i => i.InstanceId));
        Assert.All(pages, p => Assert.True(p.Values.Count <= 2, $"A page of {p.Values.Count} for a page size of 2."));
        Assert.Equal(2, pages[0].Values.Count);
        Assert.NotNull(pages[0].ContinuationToken);
        Assert.Null(pages[^1].ContinuationToken);
        Assert.Equal(completed[2..4], resumed.Values.Select(i => i.InstanceId));
        Assert.Equal([running], waiting.Values.Select(i => i.InstanceId));
        Assert.Equal(6, everything.Values.Count);
        Assert.All(everything.Values, i => Assert.Null(i.SerializedInput));
    }

    [Fact]
    public async Task PurgeAllInstances_CompletedInTimeRange_DeletesOnlyThose()
    {
        // A purge by time range and status reaches every instance of the hub: this test has one to itself.
        await using var host = await DurableTestHost.StartAsync(hub.Emulators);
        var client = host.Client;
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        var completed = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            completed.Add(await client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Sequence, 1, Ct));
        }

        var failed = await client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Throwing, 1, Ct);
        var running = await client.ScheduleNewOrchestrationInstanceAsync(TestOrchestrations.Approval, 0, Ct);
        foreach (var id in completed.Append(failed))
        {
            await client.WaitForFinishAsync(id);
        }

        await client.WaitForInstanceAsync(running, i => i.RuntimeStatus == OrchestrationRuntimeStatus.Running, "running");

        var purged = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(from, null, [OrchestrationRuntimeStatus.Completed]), Ct);
        var left = await FirstPageAsync(client, new OrchestrationQuery());
        var purgedFailed = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(from, null, [OrchestrationRuntimeStatus.Failed]), Ct);

        Assert.Equal(3, purged.PurgedInstanceCount);
        Assert.Equal(new[] { failed, running }.Order(), left.Values.Select(i => i.InstanceId).Order());
        Assert.Equal(1, purgedFailed.PurgedInstanceCount);
        Assert.NotNull(await client.GetInstanceAsync(running, Ct));
    }

    private Task<Page<OrchestrationMetadata>> FirstPageAsync(OrchestrationQuery query) => FirstPageAsync(Client, query);

    private static async Task<Page<OrchestrationMetadata>> FirstPageAsync(DurableTaskClient client, OrchestrationQuery query)
    {
        await foreach (var page in client.GetAllInstancesAsync(query).AsPages(query.ContinuationToken, query.PageSize).WithCancellation(Ct))
        {
            return page;
        }

        throw new InvalidOperationException("The query returned no page at all.");
    }
}
