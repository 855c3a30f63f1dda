using System.Globalization;
using ServerlessMobility.RentToOwn.Collection;

namespace ServerlessMobility.RentToOwn.Plans;

/// <summary>Why a person may not immobilize a plan's vehicle now: a rule name (the problem's <c>rule</c>) and words for the operator.</summary>
public sealed record ImmobilizationRefusal(string Rule, string Detail);

/// <summary>Settings of the operator's immobilization (RentToOwn:ManualImmobilization).</summary>
public sealed record ManualImmobilizationOptions
{
    public const string SectionName = "RentToOwn:ManualImmobilization";

    /// <summary>
    /// The oldest telemetry reading that may show the vehicle standing: an older one says where it was, not that
    /// it still stands (vehicles report every few seconds while on).
    /// </summary>
    public TimeSpan MaxReadingAge { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// When a person may stop a customer's vehicle. Pure: the plan's state, its contract and the vehicle's latest
/// reading go in, a refusal (or none) comes out. The same safety rule as the collection workflow's: never a
/// vehicle that moves, and never one whose state is not known now.
/// </summary>
public static class ManualImmobilizationRules
{
    public const string NotDefaulted = "plan-not-defaulted";
    public const string ContractForbids = "immobilization-not-allowed";
    public const string NoReading = "vehicle-reading-missing";
    public const string StaleReading = "vehicle-reading-stale";
    public const string Moving = "vehicle-moving";

    /// <summary>The plan's part of the rule, which the plan re-checks when the immobilization is stored.</summary>
    public static ImmobilizationRefusal? RefusalFor(PlanStatus status, bool allowsImmobilization) =>
        status != PlanStatus.Defaulted
            ? new ImmobilizationRefusal(NotDefaulted,
                $"The plan is {status}: a vehicle is immobilized only once its plan has defaulted (in arrears after the grace period).")
            : !allowsImmobilization
                ? new ImmobilizationRefusal(ContractForbids, "The plan's contract does not allow the vehicle to be immobilized.")
                : null;

    /// <summary>Everything: the plan's part, then the vehicle's latest reading, which must be fresh and show it standing.</summary>
    /// <param name="reading">The latest reading; null when the vehicle never sent one.</param>
    /// <param name="now">The caller's clock (a <see cref="TimeProvider"/>).</param>
    public static ImmobilizationRefusal? RefusalFor(PlanStatus status, bool allowsImmobilization, VehicleMotion? reading, DateTimeOffset now, TimeSpan maxReadingAge)
    {
        if (RefusalFor(status, allowsImmobilization) is { } refusal)
        {
            return refusal;
        }

        if (reading is null)
        {
            return new ImmobilizationRefusal(NoReading, "The vehicle has sent no telemetry: whether it stands still is not known, so it is not immobilized.");
        }

        // A reading from ahead of our clock by more than the allowance is as untrustworthy as an old one.
        var age = now - reading.ObservedAt;
        if (age > maxReadingAge || age < -maxReadingAge)
        {
            return new ImmobilizationRefusal(StaleReading, string.Create(CultureInfo.InvariantCulture,
                $"The vehicle's latest reading is from {reading.ObservedAt:O}, more than {maxReadingAge.TotalSeconds:0} s ago: whether it stands still now is not known. Try again once it reports."));
        }

        return reading.SpeedKmh != 0
            ? new ImmobilizationRefusal(Moving, string.Create(CultureInfo.InvariantCulture,
                $"The vehicle is moving ({reading.SpeedKmh:0.#} km/h at {reading.ObservedAt:O}): a vehicle is never stopped in traffic. Try again once it stands still."))
            : null;
    }

    /// <summary>One immobilize command per default of the plan: repeats (a retry after the vehicle did not answer) carry the same id.</summary>
    public static string CommandIdFor(PaymentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return string.Create(CultureInfo.InvariantCulture, $"{plan.Id}:operator-immobilize:{plan.DefaultedAt?.UtcTicks ?? 0}");
    }
}
