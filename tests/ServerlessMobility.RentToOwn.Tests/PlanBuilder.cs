using ServerlessMobility.RentToOwn.Plans;

namespace ServerlessMobility.RentToOwn.Tests;

/// <summary>Test data builder for plan terms: a 12-month weekly motorcycle plan in KES unless changed.</summary>
internal sealed class PlanBuilder
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private PlanTerms _terms = new()
    {
        Currency = "KES",
        VehiclePrice = 150_000m,
        Deposit = 15_000m,
        FinanceChargeRate = 0.2m,
        Frequency = PaymentFrequency.Weekly,
        NumberOfInstalments = 52,
        FirstDueDate = Start.AddDays(7),
    };

    public PlanBuilder With(Func<PlanTerms, PlanTerms> change)
    {
        _terms = change(_terms);
        return this;
    }

    public PlanTerms Terms() => _terms;

    public PaymentPlan Build(string id = "plan-1", string tenantId = "tenant-a", string customerId = "cust-1", string vehicleId = "veh-1") =>
        PaymentPlan.Create(id, tenantId, customerId, vehicleId, _terms, Start);
}
