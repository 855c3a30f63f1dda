namespace ServerlessMobility.RentToOwn.Collection;

/// <summary>Dunning policy of the collection workflow, bound from configuration (RentToOwn:Collection).</summary>
public sealed record CollectionOptions
{
    public const string SectionName = "RentToOwn:Collection";

    /// <summary>Retries after a failed charge, counted from the due date (smart retries: +1, +3, +5 days); see <see cref="Platform.Workflows.RetrySchedule"/>.</summary>
    public string RetrySchedule { get; init; } = "1.00:00:00,3.00:00:00,5.00:00:00";

    public IReadOnlyList<TimeSpan> RetryOffsets => Platform.Workflows.RetrySchedule.Parse(RetrySchedule);

    public TimeSpan ReminderLead { get; init; } = TimeSpan.FromDays(2);

    /// <summary>From the due date to default; must not be shorter than the last retry.</summary>
    public TimeSpan GracePeriod { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How often a moving vehicle is checked again before it is immobilised.</summary>
    public TimeSpan StationaryRecheckInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>How often a defaulted plan is re-read when no payment event arrives (payments may come by other channels).</summary>
    public TimeSpan DefaultRecheckInterval { get; init; } = TimeSpan.FromDays(1);

    public TimeSpan VehicleCommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Wait before the first retry of a failed activity (a storage hiccup, a vehicle that does not answer);
    /// each later retry waits twice as long, at most 10 minutes, five attempts in all.
    /// </summary>
    public TimeSpan ActivityRetryInterval { get; init; } = TimeSpan.FromSeconds(30);
}
