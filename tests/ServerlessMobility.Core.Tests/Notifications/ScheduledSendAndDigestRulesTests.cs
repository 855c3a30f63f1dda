using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Platform.Notifications;

namespace ServerlessMobility.Core.Tests.Notifications;

/// <summary>When a scheduled message or a digest message goes: pure time maths on a fixed clock.</summary>
public class ScheduledSendAndDigestRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 9, 30, 0, TimeSpan.Zero);

    // Fixed UTC+3 (Nairobi has no daylight saving), built here so the test needs no time-zone database.
    private static readonly TimeZoneInfo Nairobi = TimeZoneInfo.CreateCustomTimeZone("test/Nairobi", TimeSpan.FromHours(3), "Nairobi", "EAT");

    // UTC+1 with summer time from the last Sunday of March 02:00 to the last Sunday of October 03:00, as in Berlin.
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.CreateCustomTimeZone("test/Berlin", TimeSpan.FromHours(1), "Berlin", "CET", "CEST",
    [
        TimeZoneInfo.AdjustmentRule.CreateAdjustmentRule(DateTime.MinValue.Date, DateTime.MaxValue.Date, TimeSpan.FromHours(1),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 2, 0, 0), 3, 5, DayOfWeek.Sunday),
            TimeZoneInfo.TransitionTime.CreateFloatingDateRule(new DateTime(1, 1, 1, 3, 0, 0), 10, 5, DayOfWeek.Sunday)),
    ]);

    private static readonly QuietHours Night = new(new TimeOnly(22, 0), new TimeOnly(7, 0));

    private static NotificationEvent Event(NotificationCategory category = NotificationCategory.Transactional, NotificationUrgency urgency = NotificationUrgency.Normal,
        DateTimeOffset? notBefore = null, IReadOnlyList<NotificationDocument>? documents = null) =>
        new("e1", "feature-activated", "t1", new NotificationRecipient("c1"), new Dictionary<string, string>(), category, urgency, documents, notBefore);

    private static NotificationPreferences Digest(params NotificationCategory[] categories) =>
        new("t1", "c1", DigestCategories: categories, DigestTime: new TimeOnly(8, 0));

    [Fact]
    public void Decide_ScheduledForLater_DefersUntilItsTime()
    {
        var time = new FakeTimeProvider(Start);
        var at = Start.AddHours(5);

        var decision = DeliveryRules.Decide(Event(notBefore: at), NotificationChannel.Email, NotificationPreferences.Default("t1", "c1"), TimeZoneInfo.Utc, time.GetUtcNow());

        Assert.Equal(new DeliveryDecision.Defer(at), decision);
    }

    [Fact]
    public void Decide_ScheduledTimeHasPassed_SendsNow()
    {
        var time = new FakeTimeProvider(Start);
        time.Advance(TimeSpan.FromMinutes(1));

        var decision = DeliveryRules.Decide(Event(notBefore: Start), NotificationChannel.Email, NotificationPreferences.Default("t1", "c1"), TimeZoneInfo.Utc, time.GetUtcNow());

        Assert.IsType<DeliveryDecision.SendNow>(decision);
    }

    [Fact]
    public void Decide_ScheduledIntoQuietHours_DefersToTheEndOfThatNight()
    {
        // Scheduled for 23:00 UTC, 02:00 in Nairobi: quiet until 07:00 local, 04:00 UTC.
        var time = new FakeTimeProvider(Start);
        var preferences = new NotificationPreferences("t1", "c1", QuietHours: Night);

        var decision = DeliveryRules.Decide(Event(notBefore: new DateTimeOffset(2026, 3, 10, 23, 0, 0, TimeSpan.Zero)), NotificationChannel.Sms, preferences, Nairobi, time.GetUtcNow());

        Assert.Equal(new DeliveryDecision.Defer(new DateTimeOffset(2026, 3, 11, 4, 0, 0, TimeSpan.Zero)), decision);
    }

    [Fact]
    public void Decide_UrgentScheduledIntoQuietHours_GoesAtItsTimeAnyway()
    {
        var time = new FakeTimeProvider(Start);
        var at = new DateTimeOffset(2026, 3, 10, 23, 0, 0, TimeSpan.Zero);

        var decision = DeliveryRules.Decide(Event(urgency: NotificationUrgency.Urgent, notBefore: at), NotificationChannel.Sms,
            new NotificationPreferences("t1", "c1", QuietHours: Night), Nairobi, time.GetUtcNow());

        Assert.Equal(new DeliveryDecision.Defer(at), decision);
    }

    [Fact]
    public void Decide_DigestCategoryBeforeDigestTime_JoinsTodaysDigestAtTheCustomersMorning()
    {
        // 01:00 UTC is 04:00 in Nairobi: today's digest at 08:00 local, 05:00 UTC.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 1, 0, 0, TimeSpan.Zero));

        var decision = DeliveryRules.Decide(Event(NotificationCategory.Informational), NotificationChannel.Email, Digest(NotificationCategory.Informational), Nairobi, time.GetUtcNow());

        Assert.Equal(new DeliveryDecision.Digest(new DateTimeOffset(2026, 3, 10, 5, 0, 0, TimeSpan.Zero), new DateOnly(2026, 3, 10)), decision);
    }

    [Fact]
    public void Decide_DigestCategoryAfterDigestTime_JoinsTomorrowsDigest()
    {
        // 09:30 UTC is 12:30 in Nairobi: today's digest has gone.
        var time = new FakeTimeProvider(Start);

        var decision = DeliveryRules.Decide(Event(NotificationCategory.Marketing), NotificationChannel.Email, Digest(NotificationCategory.Marketing), Nairobi, time.GetUtcNow());

        Assert.Equal(new DeliveryDecision.Digest(new DateTimeOffset(2026, 3, 11, 5, 0, 0, TimeSpan.Zero), new DateOnly(2026, 3, 11)), decision);
    }

    [Fact]
    public void Decide_ScheduledDigestMessage_JoinsTheDigestAfterItsScheduledTime()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 1, 0, 0, TimeSpan.Zero));

        // Scheduled for 06:00 UTC (09:00 local), after today's digest: tomorrow's.
        var decision = DeliveryRules.Decide(Event(NotificationCategory.Informational, notBefore: new DateTimeOffset(2026, 3, 10, 6, 0, 0, TimeSpan.Zero)),
            NotificationChannel.Email, Digest(NotificationCategory.Informational), Nairobi, time.GetUtcNow());

        Assert.Equal(new DeliveryDecision.Digest(new DateTimeOffset(2026, 3, 11, 5, 0, 0, TimeSpan.Zero), new DateOnly(2026, 3, 11)), decision);
    }

    [Fact]
    public void Decide_DigestTimeInsideQuietHours_DigestWaitsForTheirEnd()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 10, 1, 0, 0, TimeSpan.Zero));
        var preferences = new NotificationPreferences("t1", "c1", QuietHours: new QuietHours(new TimeOnly(22, 0), new TimeOnly(9, 0)),
            DigestCategories: [NotificationCategory.Informational], DigestTime: new TimeOnly(8, 0));

        var decision = DeliveryRules.Decide(Event(NotificationCategory.Informational), NotificationChannel.Email, preferences, Nairobi, time.GetUtcNow());

        Assert.Equal(new DeliveryDecision.Digest(new DateTimeOffset(2026, 3, 10, 6, 0, 0, TimeSpan.Zero), new DateOnly(2026, 3, 10)), decision);
    }

    [Theory]
    [InlineData(NotificationCategory.Informational, NotificationUrgency.Urgent, NotificationChannel.Email, false)]
    [InlineData(NotificationCategory.Informational, NotificationUrgency.Normal, NotificationChannel.Sms, false)]
    [InlineData(NotificationCategory.Transactional, NotificationUrgency.Normal, NotificationChannel.Email, false)]
    [InlineData(NotificationCategory.Informational, NotificationUrgency.Normal, NotificationChannel.Email, true)]
    public void Decide_OnlyNonUrgentEmailOfAChosenCategory_GoesIntoADigest(NotificationCategory category, NotificationUrgency urgency, NotificationChannel channel, bool inDigest)
    {
        var time = new FakeTimeProvider(Start);

        var decision = DeliveryRules.Decide(Event(category, urgency), channel, Digest(NotificationCategory.Informational, NotificationCategory.Marketing), TimeZoneInfo.Utc, time.GetUtcNow());

        Assert.Equal(inDigest, decision is DeliveryDecision.Digest);
    }

    [Fact]
    public void Decide_MessageWithDocuments_KeepsItsOwnMail()
    {
        var time = new FakeTimeProvider(Start);

        var decision = DeliveryRules.Decide(Event(NotificationCategory.Informational, documents: [new NotificationDocument("d1", 1, "d1.pdf")]), NotificationChannel.Email,
            Digest(NotificationCategory.Informational), TimeZoneInfo.Utc, time.GetUtcNow());

        Assert.IsType<DeliveryDecision.SendNow>(decision);
    }

    [Fact]
    public void NextAt_DigestTimeSkippedBySpringForward_GoesAtTheFirstValidMinute()
    {
        // 29 March 2026: Berlin's clocks jump from 02:00 to 03:00, so a 02:30 digest goes at 03:00 CEST, 01:00 UTC.
        var (at, day) = NotificationDigest.NextAt(new TimeOnly(2, 30), Berlin, new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal((new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), new DateOnly(2026, 3, 29)), (at, day));
    }

    [Fact]
    public void NextAt_ExactlyAtDigestTime_IsTheNextDaysDigest()
    {
        var (at, day) = NotificationDigest.NextAt(new TimeOnly(8, 0), TimeZoneInfo.Utc, new DateTimeOffset(2026, 3, 10, 8, 0, 0, TimeSpan.Zero));

        Assert.Equal((new DateTimeOffset(2026, 3, 11, 8, 0, 0, TimeSpan.Zero), new DateOnly(2026, 3, 11)), (at, day));
    }

    [Fact]
    public void KeyFor_OneDigestPerCustomerChannelAndDay()
    {
        var day = new DateOnly(2026, 3, 10);
        var keys = new[]
        {
            NotificationDigest.KeyFor("c1", NotificationChannel.Email, day),
            NotificationDigest.KeyFor("c1", NotificationChannel.Email, day.AddDays(1)),
            NotificationDigest.KeyFor("c2", NotificationChannel.Email, day),
            NotificationDigest.KeyFor("c1", NotificationChannel.Sms, day),
        };

        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(keys[0], NotificationDigest.KeyFor("c1", NotificationChannel.Email, day));
    }

    [Fact]
    public void Entries_OneBlockPerMessageInOrder_SubjectThenParagraphs()
    {
        var text = NotificationDigest.Entries([("Heated seats is active", ["Heated seats is now active on your vehicle."]), ("Spring offer", ["10 % off.", "Until Friday."])]);

        Assert.Equal("Heated seats is active\nHeated seats is now active on your vehicle.\n\nSpring offer\n10 % off.\nUntil Friday.", text);
    }

    [Fact]
    public void Carries_OnlyTheDeliveriesListedInTheDigest()
    {
        var digest = new NotificationEvent("digest:k", NotificationDigest.Kind, "t1", new NotificationRecipient("c1"),
            new Dictionary<string, string> { [NotificationDigest.DeliveryIdsKey] = "d1,d2" });

        Assert.True(NotificationDigest.Carries(digest, "d2"));
        Assert.False(NotificationDigest.Carries(digest, "d3"));
        Assert.False(NotificationDigest.Carries(digest, "d"));
    }
}
