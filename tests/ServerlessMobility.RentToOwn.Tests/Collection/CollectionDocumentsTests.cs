using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Tests.Http;
using ServerlessMobility.Testing;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>
/// What the collection flow sends the customer besides reminders, on the real engine, Azurite and maildev: the
/// receipt of a collected instalment (a PDF), the statement on request, and the urgent immobilization warning
/// before the default.
/// </summary>
public class CollectionDocumentsTests(CollectionHost host, PlatformEmulators emulators) : IClassFixture<CollectionHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The customer saved an e-mail address: rent-to-own messages then go by e-mail besides SMS.</summary>
    private async Task<string> ReachByEmailAsync(CollectedPlan plan, QuietHours? quietHours = null)
    {
        var address = $"c-{Guid.NewGuid():N}@customers.test";
        await host.Services.GetRequiredService<INotificationPreferenceStore>().SaveAsync(
            new NotificationPreferences(plan.TenantId, plan.CustomerId, Language: "en", TimeZone: "UTC", Email: address, QuietHours: quietHours), Ct);
        return address;
    }

    private Task<IReadOnlyList<ReceivedMail>> MailAsync(string address, Func<ReceivedMail, bool> wanted, string what) =>
        Eventually.UntilAsync(() => emulators.Maildev.MailToAsync(address, Ct), m => m.Any(wanted), what);

    [Fact]
    public async Task Collection_InstalmentCharged_ReceiptPdfMailedOnce_StatementIssuedOnRequest()
    {
        var plan = await host.OpenPlanAsync("receipt", instalments: 2);
        var address = await ReachByEmailAsync(plan);

        await plan.WaitForInstalmentAsync(2);

        var charge = Assert.Single(plan.Charges, c => c.Result.Succeeded);
        var reference = charge.Result.ProviderReference!;
        var receipt = Assert.Single(plan.NotificationsOf(NotificationKind.PaymentReceipt));
        Assert.Equal((5_400m, "KES"), (receipt.Notification.Amount, receipt.Notification.Currency));
        var number = $"R-{plan.Id[..8]}-001";
        var mail = (await MailAsync(address, m => m.Subject.StartsWith("Receipt", StringComparison.Ordinal), "the receipt mail"))
            .Single(m => m.Subject.StartsWith("Receipt", StringComparison.Ordinal));
        Assert.Equal($"Receipt {number}: 5400.00 KES received", mail.Subject);
        Assert.Contains($"Your receipt {number} is attached. Still to pay: 5400.00 KES.", mail.Text, StringComparison.Ordinal);
        var attachment = Assert.Single(mail.Attachments!);
        Assert.Equal(($"receipt-{number}.pdf", "application/pdf"), (attachment.FileName, attachment.ContentType));
        var pdf = PdfText.Of(await emulators.Maildev.AttachmentAsync(mail.Id, attachment.GeneratedFileName, Ct));
        Assert.Contains($"Receipt {number}", pdf, StringComparison.Ordinal);
        Assert.Contains($"Payment {reference} · Instalment 1", pdf, StringComparison.Ordinal);
        Assert.Contains("5,400.00 KES", pdf, StringComparison.Ordinal);
        Assert.Contains("Outstanding", pdf, StringComparison.Ordinal);
        Assert.Contains(CollectionHost.TenantLegalName, pdf, StringComparison.Ordinal);
        Assert.Contains(CollectionHost.TenantTaxId, pdf, StringComparison.Ordinal);
        Assert.DoesNotContain("Subtotal", pdf, StringComparison.Ordinal);

        // The activity run again (at-least-once delivery): the same document, and no second mail.
        var again = await host.Services.GetRequiredService<PlanDocuments>().SendReceiptAsync(plan.TenantId, plan.Id, reference, Ct);
        Assert.Equal((PlanDocuments.ReceiptIdFor(plan.Id, reference), 1), (again.DocumentId, again.Version));
        await host.Services.GetRequiredService<INotifications>().PublishAsync(new NotificationEvent($"marker-{plan.Id}", "generic", plan.TenantId,
            new NotificationRecipient(plan.CustomerId, Email: address), new Dictionary<string, string> { ["title"] = "marker", ["message"] = "marker" }), Ct);
        var all = await MailAsync(address, m => m.Subject == "marker", "the marker mail");
        Assert.Single(all, m => m.Subject.StartsWith("Receipt", StringComparison.Ordinal));

        // The statement as a PDF on request: issued once while nothing changes, read through its signed link.
        var first = await IssueStatementAsync(plan, plan.AgentToken);
        var second = await IssueStatementAsync(plan, plan.AgentToken);
        Assert.Equal((first.GetProperty("documentId").GetString(), 1), (second.GetProperty("documentId").GetString(), second.GetProperty("version").GetInt32()));
        var download = await host.Host.Client.GetAsync(new Uri(first.GetProperty("url").GetString()!).PathAndQuery, Ct);
        await host.ExpectAsync(HttpStatusCode.OK, download);
        var statement = PdfText.Of(await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains($"Statement {first.GetProperty("number").GetString()}", statement, StringComparison.Ordinal);
        Assert.Contains("Instalments paid: 1/2", statement, StringComparison.Ordinal);
        Assert.Contains("Instalments to come: 1", statement, StringComparison.Ordinal);
        Assert.Contains("Payment received", statement, StringComparison.Ordinal);
        Assert.Contains("10,800.00 KES", statement, StringComparison.Ordinal);
        Assert.Contains(CollectionHost.TenantLegalName, statement, StringComparison.Ordinal);
        Assert.Contains(CollectionHost.TenantTaxId, statement, StringComparison.Ordinal);

        // Another customer of the tenant cannot tell the plan exists.
        var stranger = await host.Host.TokenAsync("someone-else", plan.TenantId, "customer");
        await host.ExpectAsync(HttpStatusCode.NotFound, await host.Host.SendAsync(HttpMethod.Post, $"/api/plans/{plan.Id}/statement-documents", stranger));
    }

    [Fact]
    public async Task Collection_RetriesExhausted_UrgentImmobilizationWarningStatesGraceEndBeforeDefault()
    {
        var plan = await host.OpenPlanAsync("warning", instalments: 1);
        var noImmobilization = await host.OpenPlanAsync("no-immob", instalments: 1, allowsImmobilization: false);
        host.Gateway.DeclineAll(plan.TenantId, plan.Id);
        host.Gateway.DeclineAll(noImmobilization.TenantId, noImmobilization.Id);

        // Quiet all day: only an urgent message reaches the customer now.
        var address = await ReachByEmailAsync(plan, new QuietHours(new TimeOnly(0, 0), new TimeOnly(23, 59, 59)));

        await plan.WaitForAsync(() => plan.NotificationsOf(NotificationKind.Defaulted), d => d.Count > 0, "the default");
        var warning = Assert.Single(plan.NotificationsOf(NotificationKind.ImmobilizationWarning));
        var defaulted = Assert.Single(plan.NotificationsOf(NotificationKind.Defaulted));
        var graceEnd = plan.FirstDue + CollectionHost.GracePeriod;
        Assert.Equal(graceEnd, warning.Notification.DueDate);
        Assert.True(warning.At < defaulted.At, $"warned at {warning.At:O}, defaulted at {defaulted.At:O}");
        Assert.Equal(3, plan.Charges.Count(c => !c.Result.Succeeded));

        var subject = $"Urgent: your vehicle may be immobilized after {graceEnd.UtcDateTime:yyyy-MM-dd HH:mm} UTC";
        var mail = (await MailAsync(address, m => m.Subject == subject, "the warning mail")).Single(m => m.Subject == subject);
        Assert.Contains($"Plan {plan.Id} has 10800.00 KES overdue. Unless it is paid by {graceEnd.UtcDateTime:yyyy-MM-dd HH:mm} UTC, when the grace period ends",
            mail.Text, StringComparison.Ordinal);
        Assert.Contains("Boda Finance Ltd, Moi Avenue 1, Nairobi, PVT-2026-001", mail.Text, StringComparison.Ordinal);

        // A contract without immobilization is not threatened with it.
        await noImmobilization.WaitForAsync(() => noImmobilization.NotificationsOf(NotificationKind.Defaulted), d => d.Count > 0, "the default");
        Assert.Empty(noImmobilization.NotificationsOf(NotificationKind.ImmobilizationWarning));
    }

    private async Task<System.Text.Json.JsonElement> IssueStatementAsync(CollectedPlan plan, string token)
    {
        var response = await host.Host.SendAsync(HttpMethod.Post, $"/api/plans/{plan.Id}/statement-documents", token);
        await host.ExpectAsync(HttpStatusCode.OK, response);
        return await RentToOwnHost.ReadAsync(response);
    }
}
