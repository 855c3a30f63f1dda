using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.CarAsAService.Customers;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.Testing;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Tests.Features;

/// <summary>
/// A paid feature invoice as the customer receives it: collected by the billing flow's collector in the local host
/// (Cosmos, Azurite, the simulated card provider), mailed through maildev with its PDF attached.
/// </summary>
public sealed class FeatureInvoicePdfTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Collect_PaidInvoiceWithVehiclesInTwoCountries_PdfWithATaxLinePerCountryMailedOnce()
    {
        var tenant = $"dealer-fi-{Guid.NewGuid():N}"[..20];
        await using var factory = new LocalHostFactory(emulators);
        factory.Settings["CarAsAService:Outbound:Mode"] = "Simulated";
        factory.Settings["Mqtt:Enabled"] = "false";
        factory.Settings[$"Tenants:Profiles:{tenant}:Name"] = "Autos Norte";
        factory.Settings[$"Tenants:Profiles:{tenant}:LegalName"] = "Autos Norte S.L.";
        factory.Settings[$"Tenants:Profiles:{tenant}:Address"] = "Calle Mayor 1, 28013 Madrid";
        factory.Settings[$"Tenants:Profiles:{tenant}:TaxId"] = "ESB12345678";
        factory.Settings[$"Tenants:Profiles:{tenant}:Country"] = "ES";
        var services = factory.Services;
        var address = $"c-{Guid.NewGuid():N}@customers.test";
        await services.GetRequiredService<ITenantRepository<Customer>>().CreateAsync(tenant, "cust-fi", new Customer("cust-fi", tenant, "Lucía Pérez", address, "ES", DateTimeOffset.UtcNow), Ct);

        var periodStart = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var periodEnd = periodStart.AddMonths(1);
        FeatureInvoiceLine Line(string vin, string country, decimal net, decimal rate) => new($"sub-{vin}", vin, "heated-seats", "Heated seats", country,
            periodStart, periodEnd, 1m, Money.Of(net, "EUR"), rate, Money.Of(net, "EUR").Multiply(rate), Money.Of(net, "EUR").Add(Money.Of(net, "EUR").Multiply(rate)));
        var invoice = Assert.Single(FeatureBilling.Invoices(tenant, "cust-fi", periodStart, periodEnd,
            [Line("WDB1111111111111A", "DE", 100m, 0.19m), Line("VF12222222222222B", "FR", 50m, 0.20m)], periodEnd));
        await services.GetRequiredService<ITenantRepository<FeatureInvoice>>().CreateAsync(tenant, invoice.Id, invoice, Ct);
        var collector = services.GetRequiredService<FeatureInvoiceCollector>();

        var paid = await collector.CollectAsync(tenant, invoice.Id, 1, Ct);
        var again = await collector.CollectAsync(tenant, invoice.Id, 1, Ct);

        Assert.Equal((FeatureInvoiceStatus.Paid, FeatureInvoiceStatus.Paid, 179m), (paid.Status, again.Status, paid.Gross.Amount));
        var number = FeatureInvoicePdf.NumberOf(invoice);
        var subject = $"Factura de funciones {number}: 179.00 EUR pagado";
        var mail = (await Eventually.UntilAsync(() => emulators.Maildev.MailToAsync(address, Ct), m => m.Any(x => x.Subject == subject), "the invoice mail"))
            .Single(m => m.Subject == subject);
        Assert.Contains("Hola Lucía Pérez", mail.Text, StringComparison.Ordinal);
        var attachment = Assert.Single(mail.Attachments!);
        Assert.Equal($"feature-invoice-{invoice.Id}.pdf", attachment.FileName);
        var pdf = PdfText.Of(await emulators.Maildev.AttachmentAsync(mail.Id, attachment.GeneratedFileName, Ct));
        Assert.Contains($"Factura {number}", pdf, StringComparison.Ordinal);
        Assert.Contains("Autos Norte S.L.", pdf, StringComparison.Ordinal);
        Assert.Contains("ESB12345678", pdf, StringComparison.Ordinal);
        Assert.Contains("Heated seats (WDB1111111111111A)", pdf, StringComparison.Ordinal);
        Assert.Contains("USt. 19 % (DE)", pdf, StringComparison.Ordinal);
        Assert.Contains("19,00 EUR", pdf, StringComparison.Ordinal);
        Assert.Contains("TVA 20 % (FR)", pdf, StringComparison.Ordinal);
        Assert.Contains("10,00 EUR", pdf, StringComparison.Ordinal);
        Assert.Contains("179,00 EUR", pdf, StringComparison.Ordinal);
        Assert.Contains("Pago recibido", pdf, StringComparison.Ordinal);

        // The second collection (a repeated activity) found the invoice paid: no second charge, no second mail.
        Assert.Single(services.GetRequiredService<SimulatedCardPayments>().Calls, c => c.Operation == "charge" && c.Reference == invoice.Id);
        await services.GetRequiredService<ICustomerNotifier>().NotifyAsync(new CustomerNotification(tenant, "cust-fi", "generic", "marker", $"marker-{invoice.Id}",
            new Dictionary<string, string> { ["title"] = "marker" }), Ct);
        var all = await Eventually.UntilAsync(() => emulators.Maildev.MailToAsync(address, Ct), m => m.Any(x => x.Subject == "marker"), "the marker mail");
        Assert.Single(all, m => m.Subject == subject);
    }
}
