using System.Net;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Simulation;
using ServerlessMobility.RentToOwn.Tests.Http;
using ServerlessMobility.Testing;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>
/// A plan opened through the API and collected by its workflow: reads the plan as its customer does, pays
/// through the API, and sees what the simulated outside world was asked to do for this plan only.
/// </summary>
internal sealed class CollectedPlan(CollectionHost host, string tenantId, string id, string customerId, string vehicleId,
    DateTimeOffset firstDue, IReadOnlyList<decimal> instalments, string agentToken, string customerToken)
{
    public string TenantId => tenantId;

    public string AgentToken => agentToken;

    public string Id => id;

    public string CustomerId => customerId;

    public string VehicleId => vehicleId;

    public DateTimeOffset FirstDue => firstDue;

    public IReadOnlyList<decimal> Instalments => instalments;

    public decimal FinancedTotal => instalments.Sum();

    public string InstanceId => CollectionWorkflow.InstanceIdFor(tenantId, id);

    public IReadOnlyList<SimulatedCharge> Charges => host.Gateway.ChargesFor(tenantId, id);

    public IReadOnlyList<SentNotification> Notifications => host.Sms.SentTo(tenantId, id);

    public IReadOnlyList<SimulatedMotionRead> MotionReads => host.Vehicles.ReadsOf(tenantId, vehicleId);

    public IReadOnlyList<SimulatedVehicleCommand> Commands => host.VehicleCommands.CommandsFor(vehicleId);

    public IReadOnlyList<SentNotification> NotificationsOf(NotificationKind kind) => [.. Notifications.Where(n => n.Notification.Kind == kind)];

    /// <summary>The plan as its customer sees it (GET /api/plans/{id}).</summary>
    public async Task<JsonElement> GetAsync()
    {
        var response = await host.Host.SendAsync(HttpMethod.Get, $"/api/plans/{id}", customerToken);
        await host.ExpectAsync(HttpStatusCode.OK, response);
        return await RentToOwnHost.ReadAsync(response);
    }

    public async Task<JsonElement> StatementAsync()
    {
        var response = await host.Host.SendAsync(HttpMethod.Get, $"/api/plans/{id}/statement", customerToken);
        await host.ExpectAsync(HttpStatusCode.OK, response);
        return await RentToOwnHost.ReadAsync(response);
    }

    /// <summary>A payment the provider confirmed, posted as the customer's payment (the API books it and wakes the workflow).</summary>
    /// <returns>The receipt: result (Applied or Duplicate) and the plan after it.</returns>
    public async Task<JsonElement> PayAsync(string providerReference, decimal amount)
    {
        var response = await host.Host.SendAsync(HttpMethod.Post, $"/api/plans/{id}/payments", customerToken, new { providerReference, amount });
        await host.ExpectAsync(HttpStatusCode.OK, response);
        return await RentToOwnHost.ReadAsync(response);
    }

    public Task<OrchestrationMetadata?> InstanceAsync() => host.Workflows.GetInstanceAsync(InstanceId, getInputsAndOutputs: true);

    /// <summary>Waits until the workflow reports a custom status that satisfies <paramref name="condition"/>.</summary>
    public async Task<JsonElement> WaitForStageAsync(Func<JsonElement, bool> condition, string what)
    {
        // A new execution (after continue-as-new) reports no status until it sets one.
        var instance = await host.Workflows.WaitForInstanceAsync(InstanceId,
            i => i.SerializedCustomStatus is { } status && JsonDocument.Parse(status).RootElement is { ValueKind: JsonValueKind.Object } root && condition(root), what);
        return JsonDocument.Parse(instance!.SerializedCustomStatus!).RootElement.Clone();
    }

    /// <summary>Waits until the workflow collects <paramref name="instalment"/> (it settled everything before it).</summary>
    public Task<JsonElement> WaitForInstalmentAsync(int instalment) =>
        WaitForStageAsync(s => s.TryGetProperty("instalment", out var n) && n.GetInt32() == instalment, $"collecting instalment {instalment}");

    public async Task<OrchestrationMetadata> WaitForCompletionAsync()
    {
        var instance = await host.Workflows.WaitForFinishAsync(InstanceId);
        Assert.True(instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed, instance.Describe() + Environment.NewLine + host.Host.Factory.Errors);
        return instance;
    }

    public Task<T> WaitForAsync<T>(Func<T> probe, Func<T, bool> condition, string what) =>
        Eventually.UntilAsync(() => Task.FromResult(probe()), condition, $"{what} (plan {id})");

    /// <summary>The agent tasks opened for this plan, read from their Cosmos container.</summary>
    public Task<IReadOnlyList<AgentTask>> AgentTasksAsync() => AgentTasks.ForPlanAsync(host.Services, tenantId, id);
}
