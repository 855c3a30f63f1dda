using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Plans;
using ServerlessMobility.Testing;

namespace ServerlessMobility.RentToOwn.Tests.Http;

/// <summary>The Cosmos plan store on the real Cosmos server: optimistic concurrency and tenant scoping.</summary>
public class CosmosPlanStoreTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task UpdateAsync_ConcurrentPayments_AllBookedNoneLost()
    {
        await using var host = RentToOwnHost.Start(emulators);
        _ = host.Client;
        var store = host.Factory.Services.GetRequiredService<IPaymentPlanStore>();
        var plan = new PlanBuilder().Build(id: "plan-c1", tenantId: "tenant-c1");
        await store.CreateAsync(plan, TestContext.Current.CancellationToken);

        // Eight writers race on one document: the ETag precondition makes the losers re-run on fresh copies.
        await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            store.UpdateAsync("tenant-c1", "plan-c1", p => p.ApplyPayment($"ref-{i}", 100m, plan.CreatedAt), TestContext.Current.CancellationToken)));

        var stored = await store.GetAsync("tenant-c1", "plan-c1", TestContext.Current.CancellationToken);
        Assert.Equal(8, stored!.Payments.Count);
        Assert.Equal(800m, stored.TotalPaid);
        Assert.Equal(plan.Schedule, stored.Schedule);
    }

    [Fact]
    public async Task GetAsync_OtherTenant_Null_ListForCustomer_StaysInTenant()
    {
        await using var host = RentToOwnHost.Start(emulators);
        _ = host.Client;
        var store = host.Factory.Services.GetRequiredService<IPaymentPlanStore>();
        await store.CreateAsync(new PlanBuilder().Build(id: "plan-c2", tenantId: "tenant-c2", customerId: "cust-same"), TestContext.Current.CancellationToken);
        await store.CreateAsync(new PlanBuilder().Build(id: "plan-c2x", tenantId: "tenant-c2-other", customerId: "cust-same"), TestContext.Current.CancellationToken);

        Assert.Null(await store.GetAsync("tenant-c2-other", "plan-c2", TestContext.Current.CancellationToken));
        var listed = await store.ListForCustomerAsync("tenant-c2", "cust-same", TestContext.Current.CancellationToken);
        Assert.Equal("plan-c2", Assert.Single(listed).Id);
        Assert.Equal(PlanStatus.Active, listed[0].Status);
    }
}
