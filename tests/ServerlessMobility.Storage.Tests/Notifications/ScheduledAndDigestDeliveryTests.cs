using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Storage.Tests.Notifications;

/// <summary>Scheduled sends and daily digests through Azurite (records, wake-ups) and the real SMTP server (maildev).</summary>
public sealed class ScheduledAndDigestDeliveryTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Storage of its own: no other test's dispatcher sends these deliveries before this test looks.
    private static Dictionary<string, string?> Isolated() => new() { ["Storage:ResourcePrefix"] = PlatformEmulators.UniquePrefix() };

    private static NotificationEvent Event(string id, string kind, string customerId, string address, Dictionary<string, string> data,
        NotificationCategory category = NotificationCategory.Informational, NotificationUrgency urgency = NotificationUrgency.Normal, DateTimeOffset? notBefore = null) =>
        new(id, kind, "acme-motors", new NotificationRecipient(customerId, "Jonas", address, Language: "en"), data, category, urgency, NotBefore: notBefore);

    [Fact]
    public async Task Publish_ScheduledSend_RecordedDeferredThenSentByTheDispatcherWhenDue()
    {
        await using var services = NotificationHarness.Create(emulators, Isolated());
        var notifications = services.GetRequiredService<INotifications>();
        var dispatcher = services.GetRequiredService<NotificationDispatcher>();
        var address = NotificationHarness.UniqueAddress();
        var at = DateTimeOffset.UtcNow.AddSeconds(2);
        var notification = Event($"scheduled-{Guid.NewGuid():N}", "delivery-appointment", "cust-s1", address,
            new() { ["order_id"] = "o5", ["appointment"] = "2026-12-10 10:00" }, NotificationCategory.Transactional, notBefore: at);

        var deferred = Assert.Single(await notifications.PublishAsync(notification, Ct));

        Assert.Equal((DeliveryStatus.Deferred, at), (deferred.Status, deferred.NextAttemptAt));
        Assert.Empty(await emulators.Maildev.MailToAsync(address, Ct));
        var mail = await Eventually.UntilAsync(async () =>
        {
            await dispatcher.DispatchDueAsync(Ct);
            return await emulators.Maildev.MailToAsync(address, Ct);
        }, m => m.Count > 0, "the scheduled mail");
        var sent = Assert.Single(await services.GetRequiredService<INotificationDeliveryStore>().ListForEventAsync("acme-motors", notification.Id, Ct));
        Assert.Equal(DeliveryStatus.Sent, sent.Status);
        Assert.True(sent.SentAt >= at, $"sent at {sent.SentAt:O}, scheduled for {at:O}");
        Assert.Equal("Collect your vehicle on 2026-12-10 10:00", Assert.Single(mail).Subject);
    }

    [Fact]
    public async Task Publish_DigestCategory_CombinedIntoOneMailAtTheDigestTime_UrgentGoesAtOnce_BuiltOnce()
    {
        await using var services = NotificationHarness.Create(emulators, Isolated());
        var notifications = services.GetRequiredService<INotifications>();
        var dispatcher = services.GetRequiredService<NotificationDispatcher>();
        var store = services.GetRequiredService<INotificationDeliveryStore>();
        var address = NotificationHarness.UniqueAddress();
        var customerId = $"cust-{Guid.NewGuid():N}";

        // The digest time a few seconds from now (UTC), so the test waits for it on the real clock.
        var digestTime = TimeOnly.FromDateTime(DateTime.UtcNow.AddSeconds(3));
        await services.GetRequiredService<INotificationPreferenceStore>().SaveAsync(new NotificationPreferences("acme-motors", customerId, TimeZone: "UTC",
            DigestCategories: [NotificationCategory.Informational, NotificationCategory.Marketing], DigestTime: digestTime), Ct);
        var run = Guid.NewGuid().ToString("N");
        var first = Event($"{run}-1", "feature-activated", customerId, address, new() { ["feature"] = "Heated seats" });
        var second = Event($"{run}-2", "generic", customerId, address, new() { ["title"] = "Winter offer", ["message"] = "Winter tyres 10 % off until Friday." }, NotificationCategory.Marketing);
        var urgent = Event($"{run}-3", "generic", customerId, address, new() { ["title"] = "Recall", ["message"] = "Please visit the workshop." },
            urgency: NotificationUrgency.Urgent);

        var waiting = new[] { Assert.Single(await notifications.PublishAsync(first, Ct)), Assert.Single(await notifications.PublishAsync(second, Ct)) };
        var urgentDelivery = Assert.Single(await notifications.PublishAsync(urgent, Ct));

        Assert.All(waiting, d => Assert.Equal(DeliveryStatus.Deferred, d.Status));
        Assert.Single(waiting.Select(d => d.DigestKey).Distinct());
        Assert.NotNull(waiting[0].DigestKey);
        Assert.Equal((DeliveryStatus.Sent, null), (urgentDelivery.Status, urgentDelivery.DigestKey));
        Assert.Equal(["Recall"], (await Eventually.UntilAsync(() => emulators.Maildev.MailToAsync(address, Ct), m => m.Count > 0, "the urgent mail")).Select(m => m.Subject));

        var mail = await Eventually.UntilAsync(async () =>
        {
            await dispatcher.DispatchDueAsync(Ct);
            return await emulators.Maildev.MailToAsync(address, Ct);
        }, m => m.Count >= 2, "the digest");
        var digest = Assert.Single(mail, m => m.Subject.StartsWith("Your daily summary", StringComparison.Ordinal));
        Assert.Equal("Your daily summary from Acme Motors (2)", digest.Subject);
        Assert.Contains("Heated seats is active\nHeated seats is now active on your vehicle.\n\nWinter offer\nWinter tyres 10 % off until Friday.", digest.Text, StringComparison.Ordinal);

        // Each carried message is marked sent in the digest; the digest's record is there once.
        var carried = await store.ListForDigestAsync("acme-motors", waiting[0].DigestKey!, Ct);
        var digestRecord = Assert.Single(carried, d => d.Kind == NotificationDigest.Kind);
        Assert.Equal(DeliveryStatus.Sent, digestRecord.Status);
        Assert.All(carried.Where(d => d.Kind != NotificationDigest.Kind), d => Assert.Equal((DeliveryStatus.Sent, "digest:" + digestRecord.DeliveryId), (d.Status, d.ProviderMessageId)));
        Assert.Equal(2, carried.Count(d => d.Kind != NotificationDigest.Kind));

        // Publishing the same events again and dispatching again sends nothing more: a marker mail sent after proves it.
        await notifications.PublishAsync(first, Ct);
        await notifications.PublishAsync(second, Ct);
        await dispatcher.DispatchDueAsync(Ct);
        await notifications.PublishAsync(urgent with { Id = urgent.Id + ":marker", Data = new Dictionary<string, string> { ["title"] = "marker", ["message"] = "marker" } }, Ct);
        mail = await Eventually.UntilAsync(() => emulators.Maildev.MailToAsync(address, Ct), m => m.Any(x => x.Subject == "marker"), "the marker mail");
        Assert.Equal(3, mail.Count);
    }
}
