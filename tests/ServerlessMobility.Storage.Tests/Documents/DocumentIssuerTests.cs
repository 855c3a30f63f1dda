using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Documents;
using ServerlessMobility.Platform.Security.Audit;
using ServerlessMobility.Storage.Tests.Notifications;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Storage.Tests.Documents;

/// <summary>PDFs rendered, stored on Azurite, audited, then read back as text with PdfPig.</summary>
public sealed class DocumentIssuerTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DocumentContent Invoice(string language = "de", decimal net = 1000m) => new("invoice", "INV-77", language, "DE", "EUR",
        new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), new DocumentParty("Jonas Weber", ["jonas@example.test", "DE"]),
        [new DocumentLine("Model S (Winter pack)", net, 0.19m)], [new DocumentAmount("depositPaid", 119m), new DocumentAmount("balanceDue", 1071m)], Reference: "o77");

    [Fact]
    public async Task Issue_OrderInvoice_PdfShowsLegalDetailsAndCountryTaxLineAndHashIsAudited()
    {
        await using var services = NotificationHarness.Create(emulators);
        var issuer = services.GetRequiredService<DocumentIssuer>();
        var archive = services.GetRequiredService<IDocumentArchive>();

        var issued = await issuer.IssueAsync(new IssueDocumentRequest("acme-motors", "order-invoice-o77", "cust-77", Invoice(), "invoice-o77.pdf"), Ct);

        var pdf = await archive.ReadAsync("acme-motors", "order-invoice-o77", 1, Ct);
        var text = PdfText.Of(pdf!);
        Assert.Contains("Rechnung INV-77", text, StringComparison.Ordinal);
        Assert.Contains("Acme Motors GmbH", text, StringComparison.Ordinal);
        Assert.Contains("USt-IdNr.: DE123456789", text, StringComparison.Ordinal);
        Assert.Contains("USt. 19 %", text, StringComparison.Ordinal);
        Assert.Contains("190,00 EUR", text, StringComparison.Ordinal);
        Assert.Contains("1.190,00 EUR", text, StringComparison.Ordinal);
        Assert.Contains("Geleistete Anzahlung", text, StringComparison.Ordinal);
        Assert.Contains("Jonas Weber", text, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf!)), issued.Sha256);
        var records = await services.GetRequiredService<IAuditLedger>().ReadAsync("acme-motors", 0, 100, Ct);
        var record = Assert.Single(records, r => r.Action == DocumentIssuer.AuditAction);
        Assert.Equal(("documents/order-invoice-o77/v1", issued.Sha256), (record.Resource, record.AfterHash));
    }

    [Fact]
    public async Task Issue_Twice_ReturnsTheFirstVersion_Reissue_AddsVersionTwoAndKeepsVersionOne()
    {
        await using var services = NotificationHarness.Create(emulators);
        var issuer = services.GetRequiredService<DocumentIssuer>();
        var archive = services.GetRequiredService<IDocumentArchive>();
        var request = new IssueDocumentRequest("acme-motors", "statement-p7", "cust-7", Invoice("sw") with { Kind = "statement", Country = "KE", Currency = "KES" }, "statement-p7.pdf");

        var first = await issuer.IssueAsync(request, Ct);
        var again = await issuer.IssueAsync(request, Ct);
        var original = await archive.ReadAsync("acme-motors", "statement-p7", 1, Ct);
        var second = await issuer.ReissueAsync(request with { Content = request.Content with { Lines = [new DocumentLine("Marekebisho", 500m, 0.16m)] } }, Ct);

        Assert.Equal((1, first.Sha256), (again.Version, again.Sha256));
        Assert.Equal(2, second.Version);
        Assert.Equal(original, await archive.ReadAsync("acme-motors", "statement-p7", 1, Ct));
        Assert.Contains("Taarifa ya akaunti INV-77", PdfText.Of(original!), StringComparison.Ordinal);
        Assert.Contains("VAT 16 %", PdfText.Of((await archive.ReadAsync("acme-motors", "statement-p7", 2, Ct))!), StringComparison.Ordinal);
        var audited = (await services.GetRequiredService<IAuditLedger>().ReadAsync("acme-motors", 0, 100, Ct)).Where(r => r.Resource.StartsWith("documents/statement-p7/", StringComparison.Ordinal));
        Assert.Equal(["documents/statement-p7/v1", "documents/statement-p7/v2"], audited.Select(r => r.Resource));
    }
}
