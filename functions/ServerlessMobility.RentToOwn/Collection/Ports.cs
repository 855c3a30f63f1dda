using ServerlessMobility.RentToOwn.Plans;

namespace ServerlessMobility.RentToOwn.Collection;

/// <summary>Plan persistence: Cosmos DB (partition /tenantId) in both hosts.</summary>
public interface IPaymentPlanStore
{
    /// <returns>null when the plan does not exist in that tenant.</returns>
    Task<PaymentPlan?> GetAsync(string tenantId, string planId, CancellationToken cancellationToken = default);

    /// <exception cref="Platform.Http.ConflictException">A plan with that id exists.</exception>
    Task CreateAsync(PaymentPlan plan, CancellationToken cancellationToken = default);

    /// <summary>
    /// Loads the plan, applies <paramref name="change"/> and stores it with optimistic concurrency,
    /// re-running the change on a fresh copy when someone else wrote in between.
    /// </summary>
    /// <exception cref="Platform.Http.ResourceNotFoundException">No such plan in that tenant.</exception>
    Task<T> UpdateAsync<T>(string tenantId, string planId, Func<PaymentPlan, T> change, CancellationToken cancellationToken = default);

    /// <summary>Every plan of one customer in the tenant (payment history for credit decisions).</summary>
    Task<IReadOnlyList<PaymentPlan>> ListForCustomerAsync(string tenantId, string customerId, CancellationToken cancellationToken = default);
}

/// <summary>The KYC state of a customer, owned by the KYC slice.</summary>
public interface IKycStatusReader
{
    /// <returns><see cref="Credit.KycStatus.NotStarted"/> for an unknown customer.</returns>
    Task<Credit.KycStatus> GetStatusAsync(string tenantId, string customerId, CancellationToken cancellationToken = default);
}

public sealed record ChargeRequest(string TenantId, string PlanId, string CustomerId, decimal Amount, string Currency, string IdempotencyKey);

/// <summary>Success carries the provider's reference, which makes the payment unique in the plan.</summary>
public sealed record ChargeResult(bool Succeeded, string? ProviderReference, string? FailureCode);

/// <summary>
/// Pulls money from the customer: a mobile-money collection request or a card charge. Implementations
/// must honour <see cref="ChargeRequest.IdempotencyKey"/>, because the calling activity runs at least once.
/// </summary>
public interface IMobileMoneyGateway
{
    Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken = default);
}

public enum NotificationKind
{
    PaymentReminder,
    PaymentFailed,
    Defaulted,
    Reinstated,
    OwnershipTransferred,

    /// <summary>A payment was booked: its receipt goes with the message.</summary>
    PaymentReceipt,

    /// <summary>Before the default: the vehicle may be immobilized once the grace period ends (<see cref="CustomerNotification.DueDate"/>).</summary>
    ImmobilizationWarning,
}

/// <summary>Carries no PII: the notifier resolves the customer's phone from the customer id.</summary>
/// <param name="EventId">Unique per notice and stable across activity retries (the workflow makes it from its replay-safe GUID).</param>
/// <param name="Data">Template values beyond plan, amount and dates (a receipt's number, say).</param>
/// <param name="Documents">Documents the message carries (the receipt PDF).</param>
public sealed record CustomerNotification(string TenantId, string PlanId, string CustomerId, NotificationKind Kind, decimal Amount, string Currency, DateTimeOffset? DueDate,
    string? EventId = null, IReadOnlyDictionary<string, string>? Data = null, IReadOnlyList<Platform.Notifications.NotificationDocument>? Documents = null);

/// <summary>SMS / e-mail to the customer: a thin adapter onto the shared notifications capability (<see cref="RentToOwnNotifier"/>).</summary>
public interface IRentToOwnNotifier
{
    Task SendAsync(CustomerNotification notification, CancellationToken cancellationToken = default);
}

/// <summary>The latest telemetry of a vehicle.</summary>
public sealed record VehicleMotion(double SpeedKmh, DateTimeOffset ObservedAt);

/// <summary>Reads the latest known motion of a vehicle from telemetry (owned here; the telemetry slice adapts to it).</summary>
public interface IVehicleStateReader
{
    /// <returns>null when nothing is known about the vehicle.</returns>
    Task<VehicleMotion?> GetLatestAsync(string tenantId, string vehicleId, CancellationToken cancellationToken = default);
}

public sealed record AgentTask(string Id, string TenantId, string PlanId, string VehicleId, string Reason, DateTimeOffset OpenedAt);

/// <summary>Work for field agents (visit, repossession review). Opening the same id twice is harmless.</summary>
public interface IAgentTaskQueue
{
    Task OpenAsync(AgentTask task, CancellationToken cancellationToken = default);
}
