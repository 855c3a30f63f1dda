using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Renewal;

/// <summary>When the customer hears that the term ends, and when a consented contract renews itself (section ServiceContracts:Renewal).</summary>
public sealed record ContractRenewalOptions
{
    public const string SectionName = "ServiceContracts:Renewal";

    /// <summary>How long before the term's end the customer is reminded (inside the renewal window).</summary>
    public TimeSpan ReminderLead { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How long before the term's end a contract with recorded consent is renewed by the renewal run.</summary>
    public TimeSpan AutoRenewLead { get; init; } = TimeSpan.FromDays(7);

    public bool IsValid() => ReminderLead > AutoRenewLead && AutoRenewLead > TimeSpan.Zero && ReminderLead <= ContractRenewals.Window;
}

/// <summary>What the renewal side of a contract's life does next.</summary>
public abstract record RenewalStep
{
    private RenewalStep()
    {
    }

    /// <summary>Cancelled, or the term is over: nothing more to renew.</summary>
    public sealed record Finished : RenewalStep;

    public sealed record WaitUntil(DateTimeOffset At) : RenewalStep;

    public sealed record Remind : RenewalStep;

    public sealed record AutoRenew : RenewalStep;
}

/// <summary>
/// Reminder before the end of each term, once per term; automatic renewal only with the customer's recorded consent
/// and never while the coverage is suspended. Pure: the contract workflow's activity applies the step.
/// </summary>
public static class RenewalSchedule
{
    public static RenewalStep Next(ServiceContract contract, DateTimeOffset now, ContractRenewalOptions options)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(options);
        if (contract.Status == ContractStatus.Cancelled || contract.IsExpiredAt(now))
        {
            return new RenewalStep.Finished();
        }

        var remindAt = contract.EndsAt - options.ReminderLead;
        if (!(contract.RenewalRemindersSent ?? []).Contains(contract.EndsAt))
        {
            return now >= remindAt ? new RenewalStep.Remind() : new RenewalStep.WaitUntil(remindAt);
        }

        if (contract.RenewalConsent is { Given: true } && contract.Suspension is null)
        {
            var renewAt = contract.EndsAt - options.AutoRenewLead;
            return now >= renewAt ? new RenewalStep.AutoRenew() : new RenewalStep.WaitUntil(renewAt);
        }

        return new RenewalStep.WaitUntil(contract.EndsAt);
    }
}
