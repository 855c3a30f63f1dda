using System.Globalization;
using ServerlessMobility.ServiceContracts.Jurisdictions;
using ServerlessMobility.ServiceContracts.Sales;
using CurrencyRules = ServerlessMobility.Platform.Currencies.Currency;

namespace ServerlessMobility.ServiceContracts.Cancellation;

/// <summary>A cancellation as recorded: when, by whom, why, and the refund with the rule that gave it.</summary>
public sealed record ContractCancellation(DateTimeOffset CancelledAt, string CancelledBy, string Reason, decimal Refund, string Currency, string RefundExplanation, bool WithinCoolingOff);

/// <summary>The refund a country's law gives for a cancellation at a moment; pure.</summary>
public static class CancellationRefund
{
    public static (decimal Refund, string Explanation, bool WithinCoolingOff) Compute(ServiceContract contract, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var rule = contract.Country;
        var paid = Payments.PaymentCollectionPolicy.PaidThisTerm(contract);
        var total = contract.Price.Total;
        var currency = contract.Price.Currency;
        var soldAt = contract.Acceptance.AcceptedAt;
        if (at < soldAt.AddDays(rule.CoolingOffDays))
        {
            return (paid, Invariant($"Cancelled within the {rule.CoolingOffDays}-day cooling-off period in {rule.Jurisdiction}: everything paid ({paid} {currency}) is refunded."), true);
        }

        var termDays = (decimal)(contract.EndsAt - contract.StartsAt).TotalDays;
        var unusedDays = Math.Max(0m, (decimal)(contract.EndsAt - at).TotalDays);

        // What was paid beyond the days used (the term's price per day): paid in full, that is the unused share; paid
        // monthly, what the instalments so far paid ahead. Rounded down to the minor unit: a refund never invents money.
        var proRata = Math.Max(0m, CurrencyRules.Floor(paid - (total * (termDays - unusedDays) / termDays), currency));
        var share = Invariant($"{Math.Floor(unusedDays)} of {Math.Round(termDays)} days unused: {proRata} {currency} of {paid} {currency} paid");
        return rule.Refund switch
        {
            RefundRule.ProRata => (proRata, Invariant($"Pro rata in {rule.Jurisdiction}: {share}."), false),
            RefundRule.ProRataMinusFee => (Math.Max(0, proRata - rule.CancellationFee),
                Invariant($"Pro rata less the cancellation fee in {rule.Jurisdiction}: {share}, less {rule.CancellationFee} {currency}."), false),
            _ => (0m, Invariant($"No refund after the {rule.CoolingOffDays}-day cooling-off period in {rule.Jurisdiction}."), false),
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
