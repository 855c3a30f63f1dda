using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Storage.Tests.Notifications;

/// <summary>E-mail through the real SMTP server (maildev), read back through its REST API.</summary>
public sealed class EmailDeliveryTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Publish_OrderInvoiceInFrench_ArrivesInMaildevWithTenantBranding()
    {
        await using var services = NotificationHarness.Create(emulators);
        var notifications = services.GetRequiredService<INotifications>();
        var address = NotificationHarness.UniqueAddress();

        var deliveries = await notifications.PublishAsync(new NotificationEvent("order-o1:invoice", "order-invoice", "acme-motors",
            new NotificationRecipient("cust-1", "Amélie Dupont", address, Language: "fr"),
            new Dictionary<string, string> { ["order_id"] = "o1", ["invoice_number"] = "INV-o1", ["total"] = "42 840,00 EUR" }), Ct);

        Assert.Equal(DeliveryStatus.Sent, Assert.Single(deliveries).Status);
        var mail = Assert.Single(await Eventually.UntilAsync(() => emulators.Maildev.MailToAsync(address, Ct), m => m.Count > 0, "the invoice mail"));
        Assert.Equal("Facture INV-o1 de la commande o1", mail.Subject);
        Assert.Equal("orders@acme-motors.test", Assert.Single(mail.From).Address);
        Assert.Contains("Bonjour Amélie Dupont,", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Total : 42 840,00 EUR.", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Acme Motors GmbH, Hauptstr. 1, 10115 Berlin, HRB 12345", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Content-Language: fr", await emulators.Maildev.SourceAsync(mail.Id, Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_SameEventTwice_SendsOneMail()
    {
        await using var services = NotificationHarness.Create(emulators);
        var notifications = services.GetRequiredService<INotifications>();
        var address = NotificationHarness.UniqueAddress();
        var notification = new NotificationEvent("plan-p7:instalment-3:reminder", "instalment-reminder", "acme-motors",
            new NotificationRecipient("cust-2", "Wanjiru", address, Language: "sw"),
            new Dictionary<string, string> { ["plan_id"] = "p7", ["amount"] = "KES 5,400.00", ["due_date"] = "2026-12-09" });

        var first = await notifications.PublishAsync(notification, Ct);
        var second = await notifications.PublishAsync(notification, Ct);

        Assert.Equal(DeliveryStatus.Sent, Assert.Single(first).Status);
        Assert.Equal(Assert.Single(first).SentAt, Assert.Single(second).SentAt);

        // A marker mail sent after both: once it is there, anything the duplicate sent would be there too.
        await notifications.PublishAsync(notification with { Id = notification.Id + ":marker", Kind = "generic", Data = new Dictionary<string, string> { ["message"] = "marker" } }, Ct);
        var mail = await Eventually.UntilAsync(() => emulators.Maildev.MailToAsync(address, Ct), m => m.Any(x => x.Text?.Contains("marker", StringComparison.Ordinal) == true), "the marker mail");
        var reminder = Assert.Single(mail, m => m.Subject.StartsWith("Malipo", StringComparison.Ordinal));
        Assert.Equal("Malipo ya KES 5,400.00 yanadaiwa tarehe 2026-12-09", reminder.Subject);
        Assert.Contains("mpango p7", reminder.Text, StringComparison.Ordinal);
        Assert.Equal(2, mail.Count);
    }

    [Fact]
    public async Task Publish_SmtpServerDown_RecordsPendingWithRetryAndSendsOnDispatchWhenBack()
    {
        // A port nothing listens on: the first attempt fails like a relay that is down.
        var closed = FreeTcpPort.Next();
        var address = NotificationHarness.UniqueAddress();
        var notification = new NotificationEvent("order-o9:placed", "order-placed", "acme-motors", new NotificationRecipient("cust-9", null, address, Language: "de"),
            new Dictionary<string, string> { ["order_id"] = "o9", ["model"] = "Model S", ["total"] = "50.000,00 EUR", ["deposit"] = "5.000,00 EUR" });
        var prefix = PlatformEmulators.UniquePrefix();
        var down = new Dictionary<string, string?>
        {
            ["Storage:ResourcePrefix"] = prefix, ["Notifications:Smtp:Port"] = closed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:FirstRetry"] = "00:00:00.200",
        };
        await using (var failing = NotificationHarness.Create(emulators, down))
        {
            var delivery = Assert.Single(await failing.GetRequiredService<INotifications>().PublishAsync(notification, Ct));
            Assert.Equal((DeliveryStatus.Pending, 1), (delivery.Status, delivery.Attempts));
            Assert.NotNull(delivery.LastError);
        }

        // The same storage, the SMTP server back: the dispatcher sends the waiting message.
        await using var services = NotificationHarness.Create(emulators, new Dictionary<string, string?> { ["Storage:ResourcePrefix"] = prefix, ["Notifications:FirstRetry"] = "00:00:00.200" });
        var dispatcher = services.GetRequiredService<NotificationDispatcher>();
        var mail = await Eventually.UntilAsync(async () =>
        {
            await dispatcher.DispatchDueAsync(Ct);
            return await emulators.Maildev.MailToAsync(address, Ct);
        }, m => m.Count > 0, "the retried mail");
        Assert.Equal("Bestellung o9 eingegangen", Assert.Single(mail).Subject);
        var stored = Assert.Single(await services.GetRequiredService<INotificationDeliveryStore>().ListForEventAsync("acme-motors", notification.Id, Ct));
        Assert.Equal((DeliveryStatus.Sent, 2), (stored.Status, stored.Attempts));
    }
}
