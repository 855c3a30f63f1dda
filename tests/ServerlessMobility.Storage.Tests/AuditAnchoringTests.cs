using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Platform.Security.Audit;
using ServerlessMobility.Storage.AzureStorage;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Storage.Tests;

/// <summary>Chain heads anchored in append blobs on Azurite, and a ledger rewritten wholesale (its own chain intact) caught by them.</summary>
public class AuditAnchoringTests(PlatformEmulators emulators)
{
    private static readonly DateTimeOffset Noon = new(2031, 5, 6, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AuditEntry Entry(string tenant, int i) => new(tenant, $"user-{i}", "POST /api/service-contracts", $"/api/service-contracts/sc-{i}", $"before-{i}", $"after-{i}");

    private static string RowKey(long sequence) => "r" + sequence.ToString("D19", CultureInfo.InvariantCulture);

    [Fact]
    public async Task AnchorAsync_OnlyWhenTheHeadMoved_OneLinePerMove()
    {
        var time = new FakeTimeProvider(Noon);
        await using var services = StorageServices.Create(emulators, s => s.AddSingleton<TimeProvider>(time));
        var ledger = services.GetRequiredService<IAuditLedger>();
        var anchoring = services.GetRequiredService<AuditAnchoring>();
        var anchors = services.GetRequiredService<IAuditAnchorStore>();
        var tenant = "anchor-" + Guid.NewGuid().ToString("N")[..8];

        await ledger.AppendAsync(Entry(tenant, 1), Ct);
        await ledger.AppendAsync(Entry(tenant, 2), Ct);
        await anchoring.AnchorAsync(Ct);
        await anchoring.AnchorAsync(Ct);
        time.Advance(TimeSpan.FromHours(1));
        var third = await ledger.AppendAsync(Entry(tenant, 3), Ct);
        await anchoring.AnchorAsync(Ct);

        var lines = await anchors.ReadAsync(tenant, Ct);
        Assert.Equal([(2L, Noon), (3L, Noon.AddHours(1))], lines.Select(a => (a.Sequence, a.AnchoredAt)));
        Assert.Equal(third.Hash, lines[^1].Hash);
        var verification = await anchoring.VerifyChainAsync(tenant, Ct);
        Assert.True(verification.IsValid, verification.Reason);
        Assert.Equal(2, verification.Anchors!.CheckedAnchors);
    }

    [Fact]
    public async Task VerifyChainAsync_LedgerRewrittenWithValidHashes_ChainAloneVerifiesButTheAnchorCatchesIt()
    {
        await using var services = StorageServices.Create(emulators, s => s.AddSingleton(TimeProvider.System));
        var ledger = services.GetRequiredService<IAuditLedger>();
        var anchoring = services.GetRequiredService<AuditAnchoring>();
        var tenant = "rewrite-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 1; i <= 4; i++)
        {
            await ledger.AppendAsync(Entry(tenant, i), Ct);
        }

        await anchoring.AnchorAsync(Ct);

        // Someone with storage access changes who did record 2 and re-hashes every record after it and the head, so
        // the chain in the table is consistent again.
        var table = services.GetRequiredService<StorageClients>().GetTable("AuditLedger");
        var records = await ledger.ReadAsync(tenant, 0, 10, Ct);
        var previous = records[0].Hash;
        foreach (var record in records.Skip(1))
        {
            var forged = record with { Actor = record.Sequence == 2 ? "innocent-bystander" : record.Actor, PreviousHash = previous };
            forged = forged with { Hash = AuditChain.ComputeHash(forged) };
            await table.UpdateEntityAsync(new TableEntity(tenant, RowKey(record.Sequence)) { ["Actor"] = forged.Actor, ["PreviousHash"] = forged.PreviousHash, ["Hash"] = forged.Hash },
                Azure.ETag.All, TableUpdateMode.Merge, Ct);
            previous = forged.Hash;
        }

        await table.UpdateEntityAsync(new TableEntity(tenant, "head") { ["Hash"] = previous }, Azure.ETag.All, TableUpdateMode.Merge, Ct);

        var chainAlone = await ledger.VerifyAsync(tenant, Ct);
        var withAnchors = await anchoring.VerifyChainAsync(tenant, Ct);

        Assert.True(chainAlone.IsValid, chainAlone.Reason);
        Assert.False(withAnchors.IsValid);
        Assert.Equal(4, withAnchors.FirstBrokenSequence);
        Assert.StartsWith("Record 4 was rewritten", withAnchors.Reason, StringComparison.Ordinal);
    }
}
