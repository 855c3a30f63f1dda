using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServerlessMobility.Core.CarAsAService.Catalog;
using ServerlessMobility.Core.Telemetry;

namespace ServerlessMobility.Core.CarAsAService.Features;

public sealed record MaintenanceStatus(bool Overdue, string? Reason);

/// <summary>The workshops' vehicle service system: is the vehicle's maintenance up to date?</summary>
public interface IMaintenanceSystem
{
    Task<MaintenanceStatus> GetStatusAsync(string tenantId, string vin, CancellationToken cancellationToken);
}

public sealed record CardAuthorizationRequest(string IdempotencyKey, string TenantId, string CustomerId, string Reference, Money Amount);

public sealed record CardAuthorization(bool Approved, string? AuthorizationId, string? DeclineReason);

public sealed record CardChargeRequest(string IdempotencyKey, string TenantId, string CustomerId, string Reference, Money Amount);

public sealed record CardCharge(bool Succeeded, string? ProviderReference, string? FailureCode);

/// <summary>
/// The payment provider's card-on-file operations: hold, capture, release, and a direct charge for
/// invoices. Every call carries an idempotency key, because the activities calling it run at least once.
/// </summary>
public interface ICardPayments
{
    Task<CardAuthorization> AuthorizeAsync(CardAuthorizationRequest request, CancellationToken cancellationToken);

    Task CaptureAsync(string authorizationId, Money amount, string idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Releases a hold; releasing one already released is harmless.</summary>
    Task VoidAsync(string authorizationId, string idempotencyKey, CancellationToken cancellationToken);

    Task<CardCharge> ChargeAsync(CardChargeRequest request, CancellationToken cancellationToken);
}

public sealed record SupportCase(string Id, string TenantId, string CustomerId, string Vin, string Subject, string Detail);

/// <summary>Technical support's case queue. Opening the same case id twice keeps one case.</summary>
public interface ISupportDesk
{
    Task OpenCaseAsync(SupportCase supportCase, CancellationToken cancellationToken);
}

public sealed class FeatureMaintenanceOptions
{
    public const string SectionName = "CarAsAService:Features:Maintenance";

    /// <summary>How long after the odometer passed a service interval the vehicle counts as overdue.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How far back the service-interval events are read.</summary>
    public TimeSpan Lookback { get; set; } = TimeSpan.FromDays(365);
}

/// <summary>
/// Maintenance status from telemetry until the workshop line has its service records: a vehicle whose
/// odometer passed a service interval (the telemetry rule <c>maintenance-due</c>) more than the grace
/// period ago, without a later service, is overdue.
/// </summary>
public sealed class TelemetryMaintenanceSystem(IRiskEventStore riskEvents, IOptions<FeatureMaintenanceOptions> options, TimeProvider time) : IMaintenanceSystem
{
    public async Task<MaintenanceStatus> GetStatusAsync(string tenantId, string vin, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var events = await riskEvents.QueryAsync(vin, now - settings.Lookback, now, cancellationToken).ConfigureAwait(false);
        var overdue = events
            .Where(e => e.TenantId == tenantId && e.Rule == RiskRules.MaintenanceDue && e.OccurredAt <= now - settings.Grace)
            .OrderBy(e => e.OccurredAt)
            .FirstOrDefault();
        return overdue is null
            ? new MaintenanceStatus(false, null)
            : new MaintenanceStatus(true, $"Maintenance overdue since {overdue.OccurredAt:yyyy-MM-dd}: {overdue.Detail}");
    }
}

/// <summary>
/// The card payments of the local host and the tests: approves every hold unless the customer is listed
/// as declined, remembers every call in order, and can fail the next voids to show the retry.
/// </summary>
public sealed class SimulatedCardPayments : ICardPayments
{
    private readonly ConcurrentQueue<CardPaymentCall> _calls = new();
    private readonly ConcurrentDictionary<string, string> _authorizations = new(StringComparer.Ordinal);
    private int _voidFailures;

    /// <summary>Customers whose holds and charges are all declined.</summary>
    public ConcurrentDictionary<string, bool> DeclinedCustomers { get; } = new(StringComparer.Ordinal);

    /// <summary>Customers whose holds are approved but whose direct charges (invoices) are declined, as a card short of funds at the month's end.</summary>
    public ConcurrentDictionary<string, bool> DeclinedChargeCustomers { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<CardPaymentCall> Calls => [.. _calls];

    /// <summary>The next <paramref name="count"/> voids throw, as a provider outage would.</summary>
    public void FailNextVoids(int count) => Interlocked.Exchange(ref _voidFailures, count);

    public Task<CardAuthorization> AuthorizeAsync(CardAuthorizationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _calls.Enqueue(new CardPaymentCall("authorize", request.Reference, request.Amount, request.IdempotencyKey));
        if (DeclinedCustomers.ContainsKey(request.CustomerId))
        {
            return Task.FromResult(new CardAuthorization(false, null, "card-declined"));
        }

        var id = _authorizations.GetOrAdd(request.IdempotencyKey, key => "auth_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..16]);
        return Task.FromResult(new CardAuthorization(true, id, null));
    }

    public Task CaptureAsync(string authorizationId, Money amount, string idempotencyKey, CancellationToken cancellationToken)
    {
        _calls.Enqueue(new CardPaymentCall("capture", authorizationId, amount, idempotencyKey));
        return Task.CompletedTask;
    }

    public Task VoidAsync(string authorizationId, string idempotencyKey, CancellationToken cancellationToken)
    {
        _calls.Enqueue(new CardPaymentCall("void", authorizationId, null, idempotencyKey));
        if (Interlocked.Decrement(ref _voidFailures) >= 0)
        {
            throw new HttpRequestException("The payment provider is unavailable (simulated).");
        }

        return Task.CompletedTask;
    }

    public Task<CardCharge> ChargeAsync(CardChargeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _calls.Enqueue(new CardPaymentCall("charge", request.Reference, request.Amount, request.IdempotencyKey));
        return Task.FromResult(DeclinedCustomers.ContainsKey(request.CustomerId) || DeclinedChargeCustomers.ContainsKey(request.CustomerId)
            ? new CardCharge(false, null, "card-declined")
            : new CardCharge(true, "ch_" + request.IdempotencyKey, null));
    }
}

/// <param name="Reference">The subscription or invoice id for authorize/charge, the authorization id for capture/void.</param>
public sealed record CardPaymentCall(string Operation, string Reference, Money? Amount, string IdempotencyKey);
