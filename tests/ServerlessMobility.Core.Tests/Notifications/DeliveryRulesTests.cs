using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Platform.Notifications;

namespace ServerlessMobility.Core.Tests.Notifications;

public class DeliveryRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 21, 30, 0, TimeSpan.Zero);

    // Fixed UTC+3 (Nairobi has no daylight saving), built here so the test needs no time-zone database.
    private static readonly TimeZoneInfo Nairobi = TimeZoneInfo.CreateCustomTimeZone("test/Nairobi", TimeSpan.FromHours(3), "Nairobi", "EAT");

    private static readonly QuietHours Night = new(new TimeOnly(22, 0), new TimeOnly(7, 0));

    private static NotificationEvent Event(NotificationCategory category = NotificationCategory.Transactional, NotificationUrgency urgency = NotificationUrgency.Normal) =>
        new("e1", "instalment-reminder", "t1", new NotificationRecipient("c1"), new Dictionary<string, string>(), category, urgency);

    [Fact]
    public void Decide_MarketingToOptedOutChannel_Skips()
    {
        var time = new FakeTimeProvider(Start);
        var preferences = new NotificationPreferences("t1", "c1", MarketingOptOut: [NotificationChannel.Email]);

        var decision = DeliveryRules.Decide(Event(NotificationCategory.Marketing), NotificationChannel.Email, preferences, TimeZoneInfo.Utc, time.GetUtcNow());

        Assert.Equal(new DeliveryDecision.Skip("opted-out"), decision);
    }

    [Fact]
    public void Decide_TransactionalToOptedOutChannel_SendsAnyway()
    {
        var time = new FakeTimeProvider(Start);
        var preferences = new NotificationPreferences("t1", "c1", MarketingOptOut: [NotificationChannel.Email, NotificationChannel.Sms]);

        Assert.IsType<DeliveryDecision.SendNow>(DeliveryRules.Decide(Event(), NotificationChannel.Email, preferences, TimeZoneInfo.Utc, time.GetUtcNow()));
        Assert.IsType<DeliveryDecision.Skip>(DeliveryRules.Decide(Event(NotificationCategory.Marketing), NotificationChannel.Sms, preferences, TimeZoneInfo.Utc, time.GetUtcNow()));
    }

    [Fact]
    public void Decide_InsideQuietHoursInCustomersZone_DefersToTheirMorning()
    {
        // 21:30 UTC is 00:30 in Nairobi: quiet until 07:00 local, 04:00 UTC the next day.
        var time = new FakeTimeProvider(Start);
        var preferences = new NotificationPreferences("t1", "c1", QuietHours: Night);

        var decision = DeliveryRules.Decide(Event(), NotificationChannel.Sms, preferences, Nairobi, time.GetUtcNow());

        Assert.Equal(new DeliveryDecision.Defer(new DateTimeOffset(2026, 3, 11, 4, 0, 0, TimeSpan.Zero)), decision);
    }

    [Fact]
    public void Decide_QuietHoursStartingThisEvening_DefersToTomorrowMorning()
    {
        // 22:30 in UTC: the window began at 22:00 tonight and ends at 07:00 tomorrow.
        var time = new FakeTimeProvider(Start.AddHours(1));
        var preferences = new NotificationPreferences("t1", "c1", QuietHours: Night);

        var decision = DeliveryRules.Decide(Event(), NotificationChannel.Email, preferences, TimeZoneInfo.Utc, time.GetUtcNow());

        Assert.Equal(new DeliveryDecision.Defer(new DateTimeOffset(2026, 3, 11, 7, 0, 0, TimeSpan.Zero)), decision);
    }

    [Fact]
    public void Decide_OutsideQuietHours_SendsNow()
    {
        var time = new FakeTimeProvider(Start);
        time.Advance(TimeSpan.FromHours(12)); // 09:30 UTC, 12:30 in Nairobi
        var preferences = new NotificationPreferences("t1", "c1", QuietHours: Night);

        Assert.IsType<DeliveryDecision.SendNow>(DeliveryRules.Decide(Event(), NotificationChannel.Sms, preferences, Nairobi, time.GetUtcNow()));
    }

    [Fact]
    public void Decide_UrgentInsideQuietHours_SendsNow()
    {
        var time = new FakeTimeProvider(Start);
        var preferences = new NotificationPreferences("t1", "c1", QuietHours: Night);

        Assert.IsType<DeliveryDecision.SendNow>(DeliveryRules.Decide(Event(urgency: NotificationUrgency.Urgent), NotificationChannel.Sms, preferences, Nairobi, time.GetUtcNow()));
    }

    [Fact]
    public void IdFor_SameEventChannelAndRecipient_IsStableAndDiffersPerChannel()
    {
        Assert.Equal(NotificationDelivery.IdFor("e1", NotificationChannel.Email, "c1"), NotificationDelivery.IdFor("e1", NotificationChannel.Email, "c1"));
        Assert.NotEqual(NotificationDelivery.IdFor("e1", NotificationChannel.Email, "c1"), NotificationDelivery.IdFor("e1", NotificationChannel.Sms, "c1"));
        Assert.NotEqual(NotificationDelivery.IdFor("e1", NotificationChannel.Email, "c1"), NotificationDelivery.IdFor("e1", NotificationChannel.Email, "c2"));
    }
}
