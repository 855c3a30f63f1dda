using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Security.Audit;
using ServerlessMobility.Storage.AzureStorage;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Storage.Tests;

public class TableAuditLedgerTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AuditEntry Entry(string tenant, int i) => new(tenant, $"user-{i}", "POST /api/orders", $"/api/orders/o-{i}", $"before-{i}", $"after-{i}");

    private ServiceProvider Services() => StorageServices.Create(emulators, s => s.AddSingleton(TimeProvider.System));

    [Fact]
    public async Task AppendAsync_ConcurrentAppends_FormOneGaplessChain()
    {
        await using var services = Services();
        var ledger = services.GetRequiredService<IAuditLedger>();

        await Task.WhenAll(Enumerable.Range(1, 20).Select(i => ledger.AppendAsync(Entry("dealer-a", i), Ct)));

        var records = await ledger.ReadAsync("dealer-a", 0, 100, Ct);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), records.Select(r => r.Sequence));
        var verification = await ledger.VerifyAsync("dealer-a", Ct);
        Assert.True(verification.IsValid, verification.Reason);
        Assert.Equal(20, verification.VerifiedRecords);
    }

    [Fact]
    public async Task VerifyAsync_RecordEditedInStorage_ReportsFirstBrokenLink()
    {
        await using var services = Services();
        var ledger = services.GetRequiredService<IAuditLedger>();
        for (var i = 1; i <= 5; i++)
        {
            await ledger.AppendAsync(Entry("dealer-b", i), Ct);
        }

        // Someone with storage access rewrites who did record 3.
        var table = services.GetRequiredService<StorageClients>().GetTable("AuditLedger");
        var entity = (await table.GetEntityAsync<TableEntity>("dealer-b", "r" + 3L.ToString("D19", System.Globalization.CultureInfo.InvariantCulture), cancellationToken: Ct)).Value;
        entity["Actor"] = "innocent-bystander";
        await table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, Ct);

        var verification = await ledger.VerifyAsync("dealer-b", Ct);

        Assert.False(verification.IsValid);
        Assert.Equal(3, verification.FirstBrokenSequence);
        Assert.Equal(2, verification.VerifiedRecords);
    }

    [Fact]
    public async Task Chains_AreSeparatePerTenant()
    {
        await using var services = Services();
        var ledger = services.GetRequiredService<IAuditLedger>();

        var first = await ledger.AppendAsync(Entry("tenant/one", 1), Ct);
        var other = await ledger.AppendAsync(Entry("tenant-two", 1), Ct);

        Assert.Equal(1, first.Sequence);
        Assert.Equal(1, other.Sequence);
        Assert.Single(await ledger.ReadAsync("tenant/one", 0, 10, Ct));
        Assert.True((await ledger.VerifyAsync("tenant/one", Ct)).IsValid);
    }
}
