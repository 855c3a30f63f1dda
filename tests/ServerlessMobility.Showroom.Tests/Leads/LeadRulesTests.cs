using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security.Pii;
using ServerlessMobility.Showroom.Leaderboards;
using ServerlessMobility.Showroom.Leads;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Leads;

/// <summary>The funnel, activities, merging of duplicates and the points' periods, on the domain types alone.</summary>
public sealed class LeadRulesTests
{
    private static readonly DateTimeOffset Monday = new(2099, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(LeadStage.New, LeadStage.Contacted, true)]
    [InlineData(LeadStage.New, LeadStage.Lost, true)]
    [InlineData(LeadStage.New, LeadStage.Negotiating, false)]
    [InlineData(LeadStage.Contacted, LeadStage.TestDrive, true)]
    [InlineData(LeadStage.Contacted, LeadStage.Negotiating, true)]
    [InlineData(LeadStage.Contacted, LeadStage.New, false)]
    [InlineData(LeadStage.TestDrive, LeadStage.Negotiating, true)]
    [InlineData(LeadStage.Negotiating, LeadStage.Won, true)]
    [InlineData(LeadStage.Negotiating, LeadStage.TestDrive, true)]
    [InlineData(LeadStage.Won, LeadStage.Lost, false)]
    [InlineData(LeadStage.Lost, LeadStage.Contacted, false)]
    public void Funnel_AllowsOnlyItsMoves(LeadStage from, LeadStage to, bool allowed) => Assert.Equal(allowed, LeadStages.Allows(from, to));

    [Fact]
    public void IllegalMove_IsAConflict_AndChangesNothing_SameStageIsANoOp()
    {
        var lead = NewLead();

        Assert.Throws<ConflictException>(() => lead.MoveTo(LeadStage.Negotiating, Monday, "sam"));
        Assert.Equal(LeadStage.New, lead.Stage);
        Assert.Empty(lead.StageHistory);
        Assert.False(lead.MoveTo(LeadStage.New, Monday, "sam"));

        Assert.True(lead.MoveTo(LeadStage.Lost, Monday.AddHours(1), "sam", "Bought elsewhere"));
        Assert.False(lead.Open);
        Assert.Equal(new LeadStageChange(LeadStage.New, LeadStage.Lost, Monday.AddHours(1), "sam", "Bought elsewhere"), Assert.Single(lead.StageHistory));
    }

    [Fact]
    public void FirstCall_ContactsTheLead_AndTimesTheResponse_ANoteDoesNot()
    {
        var lead = NewLead();

        lead.Log(new LeadActivity("n1", LeadActivityKind.Note, "Wants a red one", Monday.AddHours(1), "sam"));
        Assert.Equal(LeadStage.New, lead.Stage);
        Assert.Null(lead.FirstResponseAt);

        lead.Log(new LeadActivity("c1", LeadActivityKind.Call, null, Monday.AddHours(3), "sam"));
        Assert.Equal(LeadStage.Contacted, lead.Stage);
        Assert.Equal(Monday.AddHours(3), lead.FirstResponseAt);

        // The same activity delivered twice is one activity.
        Assert.False(lead.Log(new LeadActivity("c1", LeadActivityKind.Call, null, Monday.AddHours(4), "sam")));
        Assert.Equal(2, lead.Activities.Count);
    }

    [Fact]
    public void Win_OnlyFromNegotiationOrTestDrive_OnceForOneVehicle()
    {
        var lead = NewLead();
        var sale = new LeadSale("veh-1", new Platform.Currencies.Money(25_000m, "EUR"), Monday, "sam", "res-1");

        Assert.Throws<ConflictException>(() => lead.Win(sale));
        lead.MoveTo(LeadStage.Contacted, Monday, "sam");
        lead.MoveTo(LeadStage.TestDrive, Monday, "sam");
        lead.Win(sale);

        Assert.Equal(LeadStage.Won, lead.Stage);
        Assert.Equal([LeadStage.Contacted, LeadStage.TestDrive, LeadStage.Negotiating, LeadStage.Won], lead.StageHistory.Select(c => c.To));
        lead.Win(sale with { SoldAt = Monday.AddHours(1) });
        Assert.Equal(4, lead.StageHistory.Count);
        Assert.Throws<ConflictException>(() => lead.Win(sale with { VehicleId = "veh-2" }));
    }

    [Fact]
    public void Merge_LogsTheContactOnce_AndKeepsWhatWasKnown()
    {
        var lead = NewLead();
        var again = new LeadCapture(LeadSource.Web, "Ada", "ada@example.test", null, "Still interested", "veh-9", 30_000m, 32_000m, "EUR", true, false, false, null);

        Assert.True(lead.Merge(again, "m1", Monday.AddDays(1), "web"));
        Assert.False(lead.Merge(again, "m1", Monday.AddDays(1), "web"));

        Assert.Equal(LeadSource.WalkIn, lead.Source);
        Assert.True(lead.FinancePreApproved);
        Assert.True(lead.HasTradeIn);
        Assert.Equal("veh-9", lead.VehicleOfInterest);
        Assert.Equal(30_000m, lead.Budget);
        var contact = Assert.Single(lead.Activities);
        Assert.Equal(LeadActivityKind.Contact, contact.Kind);
        Assert.Contains("Still interested", contact.Note, StringComparison.Ordinal);
        Assert.Equal(LeadStage.New, lead.Stage);
    }

    [Fact]
    public void Contacts_NormalizedAlike_ClaimAlike()
    {
        var pii = new PiiProtector(Options.Create(new PiiOptions { EncryptionKey = PlatformEmulators.TestPiiEncryptionKey, LookupKey = PlatformEmulators.TestPiiLookupKey }));

        var first = LeadContacts.ClaimIds(pii, LeadContacts.NormalizeEmail(" Ada@Example.TEST "), LeadContacts.NormalizePhone("+4915112345678"));
        var second = LeadContacts.ClaimIds(pii, LeadContacts.NormalizeEmail("ada@example.test"), LeadContacts.NormalizePhone(" +4915112345678"));
        var other = LeadContacts.ClaimIds(pii, LeadContacts.NormalizeEmail("bob@example.test"), null);

        Assert.Equal(first, second);
        Assert.Equal(2, first.Count);
        Assert.StartsWith("e-", first[0], StringComparison.Ordinal);
        Assert.DoesNotContain("ada", first[0], StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(first[0], Assert.Single(other));
    }

    [Fact]
    public void Points_PerAction_OnceByIdentity_InUtcWeeksAndMonths()
    {
        // Sunday 23:30 UTC is still the ISO week that began on Monday the 29th of December 2098.
        var sundayNight = new DateTimeOffset(2099, 1, 4, 23, 30, 0, TimeSpan.Zero);
        var award = PointAward.For("t", "sam", PointAction.SaleClosed, "lead-1", null, sundayNight);
        var (key, start, end) = SalesLeaderboards.Week(sundayNight);
        var (monthKey, monthStart, monthEnd) = SalesLeaderboards.Month(new DateTimeOffset(2099, 1, 31, 23, 59, 0, TimeSpan.FromHours(-5)));

        Assert.Equal(50, award.Points);
        Assert.Equal(award.Id, PointAward.For("t", "sam", PointAction.SaleClosed, "lead-1", null, Monday).Id);
        Assert.NotEqual(PointAward.For("t", "sam", PointAction.ActivityLogged, "lead-1", "a1", Monday).Id, PointAward.For("t", "sam", PointAction.ActivityLogged, "lead-1", "a2", Monday).Id);
        Assert.Equal("2099-W01", award.Week);
        Assert.Equal(("2099-W01", new DateTimeOffset(2098, 12, 29, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2099, 1, 5, 0, 0, 0, TimeSpan.Zero)), (key, start, end));
        Assert.Equal(("2099-02", new DateTimeOffset(2099, 2, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2099, 3, 1, 0, 0, 0, TimeSpan.Zero)), (monthKey, monthStart, monthEnd));
        Assert.Equal(["bronze", "silver", "closer"], Badges.For(100, 1));
        Assert.Empty(Badges.For(24, 0));
    }

    private static Lead NewLead() => new()
    {
        Id = "lead-1",
        TenantId = "t",
        Source = LeadSource.WalkIn,
        ProtectedName = "x",
        Stage = LeadStage.New,
        HasTradeIn = true,
        CreatedAt = Monday,
        UpdatedAt = Monday,
    };
}
