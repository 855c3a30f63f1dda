using System.Globalization;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Features;

/// <summary>One open-ended subscription's share of a month: the time it was usable over the month's length.</summary>
public sealed record FeatureInvoiceLine(
    string SubscriptionId,
    string Vin,
    string FeatureCode,
    string FeatureName,
    string Country,
    DateTimeOffset From,
    DateTimeOffset To,
    decimal ShareOfMonth,
    Money Net,
    decimal VatRate,
    Money Vat,
    Money Gross);

public enum FeatureInvoiceStatus
{
    Issued,
    Paid,

    /// <summary>The last attempt was declined; the billing workflow tries again on its retry schedule.</summary>
    PaymentFailed,

    /// <summary>Every attempt of the retry schedule was declined: handed to a support case, no longer charged automatically.</summary>
    Uncollectible,
}

public sealed record ManualSettlement(string Reference, string SettledBy, DateTimeOffset SettledAt);

/// <summary>
/// A customer's feature invoice for one month in one currency: id "{customerId}.{period}.{currency}", where the
/// period is "yyyy-MM" for a calendar month (see <see cref="FeatureCalendar.PeriodKey"/>).
/// </summary>
public sealed record FeatureInvoice
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required string CustomerId { get; init; }

    public required DateTimeOffset PeriodStart { get; init; }

    public required DateTimeOffset PeriodEnd { get; init; }

    public required string Currency { get; init; }

    public required IReadOnlyList<FeatureInvoiceLine> Lines { get; init; }

    public required Money Net { get; init; }

    public required Money Vat { get; init; }

    public required Money Gross { get; init; }

    public required FeatureInvoiceStatus Status { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public string? ProviderReference { get; init; }

    public string? FailureCode { get; init; }

    /// <summary>Charges attempted so far; attempt N is made at most once, so a repeated delivery charges nothing more.</summary>
    public int CollectionAttempts { get; init; }

    /// <summary>Set when a dealership admin recorded a payment made outside the card provider (a bank transfer, cash at the desk).</summary>
    public ManualSettlement? Settlement { get; init; }

    /// <summary>Paid by other means: no further automatic charge, and the invoice shows who recorded it and why.</summary>
    public FeatureInvoice SettleManually(string reference, string settledBy, DateTimeOffset at)
    {
        if (Status == FeatureInvoiceStatus.Paid)
        {
            throw new Platform.Http.ConflictException($"Feature invoice '{Id}' is paid already.");
        }

        return this with { Status = FeatureInvoiceStatus.Paid, ProviderReference = "manual:" + reference, FailureCode = null, Settlement = new ManualSettlement(reference, settledBy, at) };
    }

    public IReadOnlyList<string> DocumentPaths { get; init; } = [];

    /// <summary>The id of the invoice of the calendar month that starts at <paramref name="periodStart"/>.</summary>
    public static string IdFor(string customerId, DateTimeOffset periodStart, string currency) =>
        $"{customerId}.{periodStart.ToString("yyyy-MM", CultureInfo.InvariantCulture)}.{currency}";

    /// <summary>The id of the invoice of the billing period [<paramref name="periodStart"/>, <paramref name="periodEnd"/>).</summary>
    public static string IdFor(string customerId, DateTimeOffset periodStart, DateTimeOffset periodEnd, string currency) =>
        $"{customerId}.{FeatureCalendar.PeriodKey(periodStart, periodEnd)}.{currency}";
}

/// <summary>
/// Monthly-in-arrears billing of open-ended subscriptions. Each subscription pays the share of the
/// month it was usable (from activation to the end, to the tick) of its monthly net price, rounded to
/// cents, plus the VAT of its country; fixed-duration purchases were paid up front and are not billed here.
/// A month is a billing period of the <see cref="FeatureCalendar"/>; the overloads without a period end bill
/// a calendar month.
/// </summary>
public static class FeatureBilling
{
    /// <summary>The first instant of the calendar month that holds <paramref name="at"/>, in UTC.</summary>
    public static DateTimeOffset MonthStart(DateTimeOffset at) => FeatureCalendar.CalendarMonths.MonthStart(at);

    public static IReadOnlyList<FeatureInvoiceLine> Lines(IEnumerable<FeatureSubscription> subscriptions, DateTimeOffset periodStart) =>
        Lines(subscriptions, periodStart, periodStart.AddMonths(1));

    public static IReadOnlyList<FeatureInvoiceLine> Lines(IEnumerable<FeatureSubscription> subscriptions, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        var lines = new List<FeatureInvoiceLine>();
        foreach (var subscription in subscriptions.Where(s => s.Duration == FeatureDuration.OpenEndedMonthly && s.ActivatedAt is not null).OrderBy(s => s.ActivatedAt))
        {
            var from = Max(subscription.ActivatedAt!.Value, periodStart);
            var to = Min(subscription.EndedAt ?? periodEnd, periodEnd);
            if (to <= from)
            {
                continue;
            }

            var share = FeatureCalendar.ShareOfPeriod(from, to, periodStart, periodEnd);
            var net = subscription.MonthlyPrice.Net.Multiply(share);
            if (net.Amount == 0)
            {
                continue;
            }

            var vat = net.Multiply(subscription.MonthlyPrice.VatRate);
            lines.Add(new FeatureInvoiceLine(subscription.Id, subscription.Vin, subscription.FeatureCode, subscription.FeatureName, subscription.Country,
                from, to, decimal.Round(share, 6), net, subscription.MonthlyPrice.VatRate, vat, net.Add(vat)));
        }

        return lines;
    }

    /// <summary>One invoice per currency (a customer with vehicles in two currency areas gets two) for a calendar month.</summary>
    public static IReadOnlyList<FeatureInvoice> Invoices(string tenantId, string customerId, DateTimeOffset periodStart, IReadOnlyList<FeatureInvoiceLine> lines, DateTimeOffset issuedAt) =>
        Invoices(tenantId, customerId, periodStart, periodStart.AddMonths(1), lines, issuedAt);

    /// <summary>One invoice per currency (a customer with vehicles in two currency areas gets two).</summary>
    public static IReadOnlyList<FeatureInvoice> Invoices(string tenantId, string customerId, DateTimeOffset periodStart, DateTimeOffset periodEnd,
        IReadOnlyList<FeatureInvoiceLine> lines, DateTimeOffset issuedAt)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return [.. lines.GroupBy(l => l.Net.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(group =>
        {
            var zero = new Money(0, group.Key);
            return new FeatureInvoice
            {
                Id = FeatureInvoice.IdFor(customerId, periodStart, periodEnd, group.Key),
                TenantId = tenantId,
                CustomerId = customerId,
                PeriodStart = periodStart,
                PeriodEnd = periodEnd,
                Currency = group.Key,
                Lines = [.. group],
                Net = group.Aggregate(zero, (sum, l) => sum.Add(l.Net)),
                Vat = group.Aggregate(zero, (sum, l) => sum.Add(l.Vat)),
                Gross = group.Aggregate(zero, (sum, l) => sum.Add(l.Gross)),
                Status = FeatureInvoiceStatus.Issued,
                IssuedAt = issuedAt,
            };
        })];
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
