namespace ServerlessMobility.Workshop.Billing;

/// <summary>The workshop's settings ("Workshop" section).</summary>
public sealed class WorkshopOptions
{
    public const string SectionName = "Workshop";

    /// <summary>Where the workshops of this deployment are: its tax applies to every invoice (ISO 3166-1 alpha-2).</summary>
    public string Country { get; set; } = "DE";

    /// <summary>The currency of estimates and invoices (ISO 4217).</summary>
    public string Currency { get; set; } = "EUR";

    /// <summary>Standard sales-tax rate on workshop services per country, as a fraction; a country missing here cannot invoice.</summary>
    public Dictionary<string, decimal> TaxRates { get; init; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["DE"] = 0.19m,
        ["AT"] = 0.20m,
        ["FR"] = 0.20m,
        ["ES"] = 0.21m,
        ["IT"] = 0.22m,
        ["GB"] = 0.20m,
        ["KE"] = 0.16m,
    };

    /// <summary>How long the owner's approval link works.</summary>
    public TimeSpan ApprovalLinkLifetime { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How long before a booking the owner is reminded of it; a booking made closer to its start gets no reminder (0 turns reminders off).</summary>
    public TimeSpan BookingReminderLead { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The approval workflow's reminders and expiry ("Workshop:Approval").</summary>
    public Approval.ApprovalWorkflowOptions Approval { get; init; } = new();

    /// <summary>When a vehicle is due for service and the booking proposed for it ("Workshop:Maintenance").</summary>
    public Maintenance.MaintenanceOptions Maintenance { get; init; } = new();
    /// <summary>Photos and videos uploaded straight to Blob storage ("Workshop:Media").</summary>
    public Media.WorkshopMediaOptions Media { get; init; } = new();

    public decimal TaxRateFor(string country) =>
        TaxRates.TryGetValue(country, out var rate)
            ? rate
            : throw new Platform.Http.BusinessRuleException("workshop-tax-country", $"No workshop tax rate is configured for {country}.");
}
