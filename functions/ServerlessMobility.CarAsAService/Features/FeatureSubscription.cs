using ServerlessMobility.CarAsAService.Catalog;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Features;

public enum FeatureSubscriptionState
{
    Requested,
    Activating,
    Active,
    Failed,

    /// <summary>The end came (expiry or cancellation) and the deactivation is being sent to the vehicle.</summary>
    Expiring,

    /// <summary>Ended at the end of its duration.</summary>
    Deactivated,

    /// <summary>Ended because the customer cancelled it.</summary>
    Cancelled,
}

public sealed record FeatureStateChange(FeatureSubscriptionState State, DateTimeOffset At, string? Reason);

/// <summary>
/// One purchase of one feature for one vehicle, with every state it went through. The activation
/// workflow (instance id <see cref="InstanceId"/>) is the only writer after the purchase.
/// </summary>
public sealed record FeatureSubscription
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required string CustomerId { get; init; }

    public required string Vin { get; init; }

    public required string ModelId { get; init; }

    public required string FeatureCode { get; init; }

    public required string FeatureName { get; init; }

    public required FeatureDuration Duration { get; init; }

    public required string Country { get; init; }

    public required PriceBreakdown MonthlyPrice { get; init; }

    /// <summary>What is held on the customer's card at purchase; captured only after the vehicle confirmed.</summary>
    public required Money UpfrontAmount { get; init; }

    public required IReadOnlyDictionary<string, string> Configuration { get; init; }

    public required FeatureSubscriptionState State { get; init; }

    public required IReadOnlyList<FeatureStateChange> History { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    public string? AuthorizationId { get; init; }

    public bool Captured { get; init; }

    public DateTimeOffset? ActivatedAt { get; init; }

    /// <summary>The end of a fixed duration; null for open-ended subscriptions.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>When the subscription stopped being usable (the end of billing for open-ended ones).</summary>
    public DateTimeOffset? EndedAt { get; init; }

    public string? FailureReason { get; init; }

    public string InstanceId => InstanceIdFor(TenantId, Id);

    /// <summary>Holds the vehicle's slot for this feature: another purchase of it is a 409.</summary>
    public bool IsOpen => State is FeatureSubscriptionState.Requested or FeatureSubscriptionState.Activating
        or FeatureSubscriptionState.Active or FeatureSubscriptionState.Expiring;

    /// <summary>The flow part of the activation workflow's instance ids.</summary>
    public const string InstanceFlow = "feature";

    public static string InstanceIdFor(string tenantId, string subscriptionId) => Platform.Workflows.WorkflowInstanceIds.For(tenantId, InstanceFlow, subscriptionId);

    public static FeatureSubscription Request(string id, string customerId, string vin, FeatureDefinition feature, FeatureDuration duration, string country, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (!feature.AllowedDurations.Contains(duration))
        {
            throw new BusinessRuleException("feature-duration-allowed",
                $"Feature '{feature.Code}' is sold for {string.Join(", ", feature.AllowedDurations)}, not {duration}.");
        }

        var monthly = feature.MonthlyPrice(country);
        return new FeatureSubscription
        {
            Id = id,
            TenantId = feature.TenantId,
            CustomerId = customerId,
            Vin = vin,
            ModelId = feature.ModelId,
            FeatureCode = feature.Code,
            FeatureName = feature.Name,
            Duration = duration,
            Country = country.ToUpperInvariant(),
            MonthlyPrice = monthly,
            UpfrontAmount = FeatureDefinition.UpfrontAmount(monthly, duration),
            Configuration = feature.Configuration,
            State = FeatureSubscriptionState.Requested,
            History = [new FeatureStateChange(FeatureSubscriptionState.Requested, now, null)],
            RequestedAt = now,
        };
    }

    /// <summary>
    /// Moves to <paramref name="state"/>, counting fixed durations in calendar months. Repeating the current
    /// state changes nothing (activities run at least once); a move the lifecycle does not allow breaks a rule.
    /// </summary>
    public FeatureSubscription MoveTo(FeatureSubscriptionState state, DateTimeOffset at, string? reason = null) =>
        MoveTo(state, at, reason, FeatureCalendar.CalendarMonths);

    /// <summary>Moves to <paramref name="state"/>; a fixed duration that starts now ends after its months of <paramref name="calendar"/>.</summary>
    public FeatureSubscription MoveTo(FeatureSubscriptionState state, DateTimeOffset at, string? reason, FeatureCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        if (state == State)
        {
            return this;
        }

        var allowed = (State, state) switch
        {
            (FeatureSubscriptionState.Requested, FeatureSubscriptionState.Activating) => true,
            (FeatureSubscriptionState.Requested, FeatureSubscriptionState.Failed) => true,
            (FeatureSubscriptionState.Activating, FeatureSubscriptionState.Active) => true,
            (FeatureSubscriptionState.Activating, FeatureSubscriptionState.Failed) => true,
            (FeatureSubscriptionState.Active, FeatureSubscriptionState.Expiring) => true,
            (FeatureSubscriptionState.Expiring, FeatureSubscriptionState.Deactivated) => true,
            (FeatureSubscriptionState.Expiring, FeatureSubscriptionState.Cancelled) => true,
            _ => false,
        };
        if (!allowed)
        {
            throw new BusinessRuleException("feature-state-transition", $"A subscription that is {State} cannot become {state}.");
        }

        var next = this with { State = state, History = [.. History, new FeatureStateChange(state, at, reason)] };
        return state switch
        {
            FeatureSubscriptionState.Active => next with { ActivatedAt = at, EndsAt = EndOfDuration(at, calendar) },
            FeatureSubscriptionState.Expiring => next with { EndedAt = at },
            FeatureSubscriptionState.Failed => next with { FailureReason = reason },
            _ => next,
        };
    }

    private DateTimeOffset? EndOfDuration(DateTimeOffset activatedAt, FeatureCalendar calendar) => Duration switch
    {
        FeatureDuration.OneMonth => calendar.AddMonths(activatedAt, 1),
        FeatureDuration.TwelveMonths => calendar.AddMonths(activatedAt, 12),
        _ => null,
    };
}

/// <summary>
/// The one open purchase of a feature on a vehicle (id "{vin}.{code}"). Created or replaced with its
/// ETag, so two concurrent purchases of the same feature cannot both start.
/// </summary>
/// <param name="ClaimedAt">
/// The slot is claimed before its subscription is written, so a holder that does not exist yet is a
/// purchase in progress, not a free slot, until <see cref="ClaimGrace"/> after this instant (then it is
/// one that crashed in between).
/// </param>
public sealed record FeatureSlot(string Id, string TenantId, string SubscriptionId, DateTimeOffset ClaimedAt = default)
{
    public static readonly TimeSpan ClaimGrace = TimeSpan.FromMinutes(1);

    public static string IdFor(string vin, string code) => $"{vin}.{code}";
}
