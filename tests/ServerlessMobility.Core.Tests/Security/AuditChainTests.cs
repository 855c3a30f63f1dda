using ServerlessMobility.Platform.Security.Audit;

namespace ServerlessMobility.Core.Tests.Security;

public class AuditChainTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static List<AuditRecord> Chain(int count)
    {
        var records = new List<AuditRecord>();
        var previous = AuditChain.GenesisHash;
        for (var i = 1; i <= count; i++)
        {
            var record = AuditChain.Link(new AuditEntry("dealer-a", $"user-{i}", "POST /api/orders", $"/api/orders/o-{i}", "b" + i, "a" + i), i, Start.AddMinutes(i), previous);
            records.Add(record);
            previous = record.Hash;
        }

        return records;
    }

    [Fact]
    public void Verify_IntactChain_IsValid()
    {
        var records = Chain(5);

        var result = AuditChain.Verify(records, (5, records[^1].Hash));

        Assert.True(result.IsValid);
        Assert.Equal(5, result.VerifiedRecords);
    }

    [Fact]
    public void Verify_EditedRecord_ReportsItAsFirstBrokenLink()
    {
        var records = Chain(5);
        records[2] = records[2] with { Actor = "someone-else" };

        var result = AuditChain.Verify(records, (5, records[^1].Hash));

        Assert.False(result.IsValid);
        Assert.Equal(3, result.FirstBrokenSequence);
        Assert.Contains("altered", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_RecordRehashedAfterEdit_BreaksTheNextLink()
    {
        var records = Chain(5);
        var forged = records[2] with { Actor = "someone-else" };
        records[2] = forged with { Hash = AuditChain.ComputeHash(forged) };

        var result = AuditChain.Verify(records, (5, records[^1].Hash));

        Assert.False(result.IsValid);
        Assert.Equal(4, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_MissingMiddleRecord_IsReported()
    {
        var records = Chain(5);
        records.RemoveAt(1);

        var result = AuditChain.Verify(records, (5, records[^1].Hash));

        Assert.False(result.IsValid);
        Assert.Equal(2, result.FirstBrokenSequence);
    }

    [Fact]
    public void Verify_RecordsCutFromTheEnd_AreReportedThroughTheHead()
    {
        var records = Chain(5);
        var head = (5L, records[^1].Hash);
        records.RemoveRange(3, 2);

        var result = AuditChain.Verify(records, head);

        Assert.False(result.IsValid);
        Assert.Equal(4, result.FirstBrokenSequence);
    }

    [Fact]
    public void ComputeHash_MovingCharactersBetweenFields_ChangesTheHash()
    {
        var record = Chain(1)[0];

        Assert.NotEqual(AuditChain.ComputeHash(record with { Actor = "ab", Action = "c" }), AuditChain.ComputeHash(record with { Actor = "a", Action = "bc" }));
    }
}
