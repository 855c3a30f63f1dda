using ServerlessMobility.Platform.Notifications;

namespace ServerlessMobility.Core.Tests.Notifications;

/// <summary>The kinds issue 19 wired last: receipt, immobilization warning, feature invoice and the digest.</summary>
public class ReceiptWarningDigestTemplatesTests
{
    private static readonly NotificationTemplates Templates = new();
    private static readonly TenantProfile Tenant = new() { Name = "Acme Motors", LegalFooter = "Acme Motors GmbH, HRB 12345" };

    private static NotificationEvent Event(string kind, Dictionary<string, string> data, string? name = "Wanjiru") =>
        new("e1", kind, "t1", new NotificationRecipient("c1", name), data);

    [Fact]
    public void Render_ImmobilizationWarning_StatesWhenTheGracePeriodEnds()
    {
        var message = Templates.Render(Event("immobilization-warning", new() { ["plan_id"] = "p7", ["amount"] = "5400.00 KES", ["due_at"] = "2026-12-16 09:00 UTC" }),
            NotificationChannel.Email, "en", Tenant);

        Assert.Equal("Urgent: your vehicle may be immobilized after 2026-12-16 09:00 UTC", message.Subject);
        Assert.Contains("Unless it is paid by 2026-12-16 09:00 UTC, when the grace period ends", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PaymentReceiptInSwahili_NamesTheReceiptAndWhatIsLeft()
    {
        var message = Templates.Render(Event("payment-receipt", new()
        {
            ["plan_id"] = "p7", ["amount"] = "5400.00 KES", ["receipt_number"] = "R-p7-003", ["instalment"] = "3", ["outstanding"] = "37800.00 KES",
        }), NotificationChannel.Sms, "sw", Tenant);

        Assert.Equal("Acme Motors: Malipo ya 5400.00 KES kwa mpango p7 yamepokelewa. Risiti R-p7-003.", message.Text);
    }

    [Fact]
    public void Render_Digest_OneParagraphPerMessageInTheHtml()
    {
        var items = NotificationDigest.Entries([("Heated seats is active", ["Heated seats is now active on your vehicle."]), ("Spring offer", ["10 % off <today>."])]);

        var message = Templates.Render(Event("digest", new() { ["items"] = items, ["count"] = "2" }), NotificationChannel.Email, "en", Tenant);

        Assert.Equal("Your daily summary from Acme Motors (2)", message.Subject);
        Assert.Contains("Heated seats is active\nHeated seats is now active on your vehicle.\n\nSpring offer\n10 % off <today>.", message.Text, StringComparison.Ordinal);
        Assert.Contains("<p>Heated seats is active<br>Heated seats is now active on your vehicle.</p><p>Spring offer<br>10 % off &lt;today&gt;.</p>", message.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderEntry_SubjectAndParagraphsWithoutGreetingOrFooter()
    {
        var (subject, paragraphs) = Templates.RenderEntry(Event("feature-activated", new() { ["feature"] = "Sitzheizung" }), "de", Tenant);

        Assert.Equal("Sitzheizung ist aktiv", subject);
        Assert.Equal(["Sitzheizung ist jetzt in Ihrem Fahrzeug aktiv."], paragraphs);
    }
}
