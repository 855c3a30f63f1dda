using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Documents;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.RentToOwn.Plans;

namespace ServerlessMobility.RentToOwn.Collection;

/// <summary>Which instalments a payment paid towards: payments are allocated oldest instalment first, in the order they were booked.</summary>
public static class PlanReceipts
{
    /// <returns>The numbers of the instalments payment <paramref name="paymentIndex"/> went to (empty when it only paid ahead of a schedule that was already covered).</returns>
    public static IReadOnlyList<int> InstalmentsCovered(PaymentPlan plan, int paymentIndex)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentOutOfRangeException.ThrowIfNegative(paymentIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(paymentIndex, plan.Payments.Count);
        var before = plan.Payments.Take(paymentIndex).Sum(p => p.Amount);
        var after = before + plan.Payments[paymentIndex].Amount;
        var covered = new List<int>();
        var start = 0m;
        foreach (var instalment in plan.Schedule)
        {
            var end = start + instalment.Amount;
            if (end > before && start < after)
            {
                covered.Add(instalment.Number);
            }

            start = end;
        }

        return covered;
    }

    /// <summary>"3", or "3-5" for a run of instalments.</summary>
    public static string Describe(IReadOnlyList<int> numbers)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        return numbers.Count switch
        {
            0 => "-",
            1 => numbers[0].ToString(CultureInfo.InvariantCulture),
            _ => string.Create(CultureInfo.InvariantCulture, $"{numbers[0]}-{numbers[^1]}"),
        };
    }
}

/// <summary>
/// Rent-to-own documents through the shared document issuer: the receipt of each booked payment (sent to the
/// customer with the payment-receipt message) and the plan statement issued on request. Both ids come from the
/// facts they show, so issuing again (a retried activity, a repeated request) returns the same document.
/// </summary>
public sealed class PlanDocuments(IPaymentPlanStore plans, DocumentIssuer issuer, PdfDocumentRenderer renderer, INotificationPreferenceStore preferences,
    NotificationTemplates templates, IOptions<NotificationOptions> notificationOptions, IOptions<TenantProfileOptions> tenants, IRentToOwnNotifier notifier, TimeProvider time)
{
    public static string ReceiptIdFor(string planId, string providerReference) => $"rto-receipt-{planId}-{Hash(providerReference)[..16]}";

    /// <summary>Issues the receipt of a booked payment and sends it to the customer; once per payment however often it runs.</summary>
    public async Task<IssuedDocument> SendReceiptAsync(string tenantId, string planId, string providerReference, CancellationToken cancellationToken = default)
    {
        var plan = await plans.GetAsync(tenantId, planId, cancellationToken) ?? throw new ResourceNotFoundException("Plan", planId);
        var index = plan.Payments.FindIndex(p => string.Equals(p.ProviderReference, providerReference, StringComparison.Ordinal));
        if (index < 0)
        {
            throw new InvalidOperationException($"Payment {providerReference} is not booked on plan {planId}.");
        }

        var payment = plan.Payments[index];
        var language = await LanguageAsync(plan, cancellationToken);
        string L(string key) => renderer.Title(key, language);
        var number = string.Create(CultureInfo.InvariantCulture, $"R-{Short(plan.Id)}-{index + 1:000}");
        var instalments = PlanReceipts.Describe(PlanReceipts.InstalmentsCovered(plan, index));
        var outstanding = plan.FinancedTotal - plan.Payments.Take(index + 1).Sum(p => p.Amount);
        var content = new DocumentContent("receipt", number, language, tenants.Value.For(tenantId).Country, plan.Currency, payment.ReceivedAt,
            new DocumentParty(plan.CustomerId, [$"{L("plan")} {plan.Id}", plan.VehicleId]),
            [new DocumentLine($"{L("payment")} {payment.ProviderReference} · {L("instalment")} {instalments}", payment.Amount, 0)],
            [new DocumentAmount("outstanding", outstanding)],
            Reference: plan.Id);
        var fileName = $"receipt-{number}.pdf";
        var document = await issuer.IssueAsync(new IssueDocumentRequest(tenantId, ReceiptIdFor(plan.Id, payment.ProviderReference), plan.CustomerId, content, fileName),
            cancellationToken);
        await notifier.SendAsync(new CustomerNotification(tenantId, plan.Id, plan.CustomerId, NotificationKind.PaymentReceipt, payment.Amount, plan.Currency, null,
            $"{plan.Id}:receipt:{document.DocumentId}",
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["receipt_number"] = number,
                ["instalment"] = instalments,
                ["outstanding"] = Money(outstanding, plan.Currency),
            },
            [new NotificationDocument(document.DocumentId, document.Version, fileName)]), cancellationToken);
        return document;
    }

    /// <summary>
    /// The plan's statement now: instalments paid, due and unpaid, and to come, with what was paid, what is
    /// overdue and what is outstanding. While none of that changes, asking again returns the same document.
    /// </summary>
    public async Task<IssuedDocument> IssueStatementAsync(PaymentPlan plan, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var now = time.GetUtcNow();
        var positions = plan.Positions(now);
        var facts = Hash(JsonSerializer.Serialize(new { positions, plan.TotalPaid, plan.Status, payments = plan.Payments.Count }));
        var language = await LanguageAsync(plan, cancellationToken);
        string L(string key) => renderer.Title(key, language);
        var paid = positions.Where(p => p.State == InstalmentState.Paid).ToList();
        var overdue = positions.Where(p => p.State == InstalmentState.Overdue).ToList();
        var upcoming = positions.Where(p => p.State is InstalmentState.Upcoming or InstalmentState.PartiallyPaid).ToList();
        var number = $"ST-{Short(plan.Id)}-{facts[..6]}";
        var notes = new List<string> { $"{L("deposit")}: {Money(plan.Terms.Deposit, plan.Currency)}" };
        if (plan.NextUnpaid() is { } next)
        {
            notes.Add($"{L("nextInstalment")} {next.Number}, {L("dueOn")} {next.DueDate.UtcDateTime.ToString(L("dateFormat"), CultureInfo.InvariantCulture)}: {Money(next.Amount, plan.Currency)}");
        }

        var content = new DocumentContent("statement", number, language, tenants.Value.For(plan.TenantId).Country, plan.Currency, now,
            new DocumentParty(plan.CustomerId, [$"{L("plan")} {plan.Id}", plan.VehicleId]),
            [
                new DocumentLine(string.Create(CultureInfo.InvariantCulture, $"{L("instalmentsPaid")}: {paid.Count}/{positions.Count}"), paid.Sum(p => p.Amount), 0),
                new DocumentLine(string.Create(CultureInfo.InvariantCulture, $"{L("instalmentsOverdue")}: {overdue.Count}"), overdue.Sum(p => p.Amount), 0),
                new DocumentLine(string.Create(CultureInfo.InvariantCulture, $"{L("instalmentsUpcoming")}: {upcoming.Count}"), upcoming.Sum(p => p.Amount), 0),
            ],
            [
                new DocumentAmount("paymentReceived", plan.TotalPaid),
                new DocumentAmount("dueToDate", plan.AmountDueBy(now)),
                new DocumentAmount("arrears", plan.Arrears(now)),
                new DocumentAmount("outstanding", plan.Outstanding),
            ],
            notes,
            plan.Id);
        return await issuer.IssueAsync(new IssueDocumentRequest(plan.TenantId, $"rto-statement-{plan.Id}-{facts[..16]}", plan.CustomerId, content, $"statement-{number}.pdf"),
            cancellationToken);
    }

    /// <summary>The customer's chosen language, else the platform's default: rent-to-own knows no country per customer.</summary>
    private async Task<string> LanguageAsync(PaymentPlan plan, CancellationToken cancellationToken)
    {
        var chosen = await preferences.GetAsync(plan.TenantId, plan.CustomerId, cancellationToken);
        return templates.ResolveLanguage(chosen?.Language, notificationOptions.Value.DefaultLanguage);
    }

    private static string Money(decimal amount, string currency) => new Platform.Currencies.Money(amount, currency).Display();

    private static string Short(string planId) => planId.Length <= 8 ? planId : planId[..8];

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
