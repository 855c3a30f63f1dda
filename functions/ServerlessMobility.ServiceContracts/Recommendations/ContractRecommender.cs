using System.Globalization;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.ServiceContracts.Jurisdictions;
using ServerlessMobility.ServiceContracts.Pricing;
using ServerlessMobility.ServiceContracts.Products;

namespace ServerlessMobility.ServiceContracts.Recommendations;

/// <summary>What the recommender knows about the vehicle: its facts, how it is driven and what it reported.</summary>
/// <param name="OdometerFromTelemetry">True when the odometer is the vehicle's own latest reading, false when the caller gave it.</param>
/// <param name="FaultCodes">Diagnostic trouble codes of the last 12 months.</param>
public sealed record VehicleProfile(VehicleFacts Facts, bool OdometerFromTelemetry, IReadOnlyList<FaultCode> FaultCodes);

/// <summary>One product judged for the vehicle: suitable or not, a score from the rules, every reason, and the price.</summary>
public sealed record ContractRecommendation(string ProductId, string ProductName, int Version, bool Suitable, int Score, IReadOnlyList<string> Reasons, PriceExplanation? Price);

/// <summary>
/// Which contract suits a vehicle, by rules a salesperson can repeat to the customer, never an opaque score: driving
/// (kilometres per month against the term's distance), the fault history (powertrain codes against engine and gearbox
/// cover) and age (broader cover for older vehicles). Ineligible or unpriced products are listed with the reason.
/// </summary>
public static class ContractRecommender
{
    /// <summary>Coverage items that answer powertrain trouble codes (P...).</summary>
    public static readonly IReadOnlySet<string> PowertrainItems = new HashSet<string>(StringComparer.Ordinal) { "engine", "gearbox", "powertrain", "drivetrain", "transmission" };

    public const int HighMileagePerMonth = 2_000;
    public const int OldVehicleMonths = 60;

    public static IReadOnlyList<ContractRecommendation> Recommend(IEnumerable<ContractProduct> products, VehicleProfile vehicle, CountryRule country, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(products);
        ArgumentNullException.ThrowIfNull(vehicle);
        ArgumentNullException.ThrowIfNull(country);
        return [.. products.Select(p => Judge(p, vehicle, country, today))
            .OrderByDescending(r => r.Suitable).ThenByDescending(r => r.Score).ThenBy(r => r.ProductName, StringComparer.Ordinal)];
    }

    private static ContractRecommendation Judge(ContractProduct product, VehicleProfile vehicle, CountryRule country, DateOnly today)
    {
        var version = product.Latest;
        var terms = version.Terms;
        PriceExplanation price;
        try
        {
            price = ContractPricing.Price(product.Name, version, country, vehicle.Facts, today);
        }
        catch (BusinessRuleException e)
        {
            return new ContractRecommendation(product.Id, product.Name, version.Version, false, 0, [e.Message], null);
        }

        var reasons = new List<string>();
        var score = 0;
        var ageMonths = Math.Max(1, vehicle.Facts.AgeMonthsOn(today));
        var perMonth = vehicle.Facts.OdometerKm / ageMonths;
        var source = vehicle.OdometerFromTelemetry ? "by its telemetry" : "by the odometer given";
        if (terms.TermKilometres is { } termKm)
        {
            var expected = perMonth * terms.TermMonths;
            if (expected > termKm)
            {
                score -= 2;
                var monthsCovered = perMonth == 0 ? terms.TermMonths : termKm / perMonth;
                reasons.Add(Invariant($"Drives about {perMonth} km a month ({source}): the {termKm} km limit ends the cover after about {monthsCovered} of {terms.TermMonths} months."));
            }
            else
            {
                score += 1;
                reasons.Add(Invariant($"Drives about {perMonth} km a month ({source}): about {expected} km in {terms.TermMonths} months fits the {termKm} km limit."));
            }
        }
        else if (perMonth > HighMileagePerMonth)
        {
            score += 2;
            reasons.Add(Invariant($"Drives about {perMonth} km a month ({source}): no distance limit suits it."));
        }

        var powertrain = vehicle.FaultCodes.Where(f => f.Code.StartsWith('P')).Select(f => f.Code).Distinct(StringComparer.Ordinal).ToList();
        var coversPowertrain = terms.Coverage.Where(c => PowertrainItems.Contains(c.Code)).Select(c => c.Name).ToList();
        if (powertrain.Count > 0)
        {
            var codes = string.Join(", ", powertrain);
            if (coversPowertrain.Count > 0)
            {
                score += 2 * powertrain.Count;
                reasons.Add(Invariant($"Reported powertrain fault codes in the last 12 months ({codes}): covers {string.Join(", ", coversPowertrain)}."));
            }
            else
            {
                score -= 1;
                reasons.Add(Invariant($"Reported powertrain fault codes in the last 12 months ({codes}), but covers no engine or gearbox."));
            }
        }

        if (ageMonths >= OldVehicleMonths)
        {
            score += terms.Coverage.Count >= 3 ? 1 : 0;
            reasons.Add(Invariant($"{ageMonths} months old: wear is likelier; this product covers {terms.Coverage.Count} item(s)."));
        }

        reasons.Add(Invariant($"Price in {country.Jurisdiction}: {price.DisplayedPrice} {price.Currency} ({price.DisplayNote})."));
        return new ContractRecommendation(product.Id, product.Name, version.Version, true, score, reasons, price);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
