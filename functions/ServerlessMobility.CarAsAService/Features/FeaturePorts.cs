using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Simulation;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Features;

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
/// Maintenance status from telemetry and the workshop's service records: a vehicle whose odometer passed a service
/// interval (the telemetry rule <c>maintenance-due</c>) more than the grace period ago, with no service completed in the
/// workshop since (<see cref="IServiceHistory"/>, answered by the workshop module), is overdue.
/// </summary>
public sealed class TelemetryMaintenanceSystem(IVehicleConditions conditions, IOptions<FeatureMaintenanceOptions> options, TimeProvider time,
    IServiceHistory history) : IMaintenanceSystem
{
    public async Task<MaintenanceStatus> GetStatusAsync(string tenantId, string vin, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var lastService = await history.LastServiceAsync(tenantId, vin, cancellationToken).ConfigureAwait(false);
        var from = now - settings.Lookback;
        if (lastService is not null && lastService.CompletedAt > from)
        {
            from = lastService.CompletedAt;
        }

        var due = await conditions.ServiceDueAsync(tenantId, vin, from, now, cancellationToken).ConfigureAwait(false);
        var overdue = due.FirstOrDefault(e => e.OccurredAt <= now - settings.Grace && (lastService is null || e.OccurredAt > lastService.CompletedAt));
        return overdue is null
            ? new MaintenanceStatus(false, null)
            : new MaintenanceStatus(true, $"Maintenance overdue since {overdue.OccurredAt:yyyy-MM-dd}: {overdue.Detail}");
    }
}

/// <summary>
/// The card payments of the local host and the tests: approves every hold unless the customer is listed
/// as declined or a script of the Development control API (<see cref="PartnerSimulatorControl"/>, subject:
/// the customer id) says otherwise, remembers every call in order, and can fail the next voids to show the retry.
/// </summary>
public sealed class SimulatedCardPayments(PartnerSimulatorControl? control = null) : ICardPayments
{
    private readonly ConcurrentQueue<CardPaymentCall> _calls = new();
    private readonly ConcurrentDictionary<string, string> _authorizations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Tenant, string Customer)> _holders = new(StringComparer.Ordinal);
    private int _voidFailures;

    /// <summary>Customers whose holds and charges are all declined.</summary>
    public ConcurrentDictionary<string, bool> DeclinedCustomers { get; } = new(StringComparer.Ordinal);

    /// <summary>Customers whose holds are approved but whose direct charges (invoices) are declined, as a card short of funds at the month's end.</summary>
    public ConcurrentDictionary<string, bool> DeclinedChargeCustomers { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<CardPaymentCall> Calls => [.. _calls];

    /// <summary>The next <paramref name="count"/> voids throw, as a provider outage would.</summary>
    public void FailNextVoids(int count) => Interlocked.Exchange(ref _voidFailures, count);

    public async Task<CardAuthorization> AuthorizeAsync(CardAuthorizationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _calls.Enqueue(new CardPaymentCall("authorize", request.Reference, request.Amount, request.IdempotencyKey));
        var scripted = await ScriptedAsync("authorize", request.TenantId, request.CustomerId, request.Reference, cancellationToken).ConfigureAwait(false);
        if (DeclinedCustomers.ContainsKey(request.CustomerId) || scripted is not null)
        {
            Record(request.TenantId, request.CustomerId, "authorize", "decline", $"{request.Reference} {request.Amount.Amount} {request.Amount.Currency}: {scripted ?? "card-declined"}");
            return new CardAuthorization(false, null, scripted ?? "card-declined");
        }

        var id = _authorizations.GetOrAdd(request.IdempotencyKey, key => "auth_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..16]);
        _holders[id] = (request.TenantId, request.CustomerId);
        Record(request.TenantId, request.CustomerId, "authorize", "approve", $"{request.Reference} {request.Amount.Amount} {request.Amount.Currency}: {id}");
        return new CardAuthorization(true, id, null);
    }

    public Task CaptureAsync(string authorizationId, Money amount, string idempotencyKey, CancellationToken cancellationToken)
    {
        _calls.Enqueue(new CardPaymentCall("capture", authorizationId, amount, idempotencyKey));
        RecordForHolder(authorizationId, "capture", "approve", $"{authorizationId} {amount?.Amount} {amount?.Currency}");
        return Task.CompletedTask;
    }

    public Task VoidAsync(string authorizationId, string idempotencyKey, CancellationToken cancellationToken)
    {
        _calls.Enqueue(new CardPaymentCall("void", authorizationId, null, idempotencyKey));
        if (Interlocked.Decrement(ref _voidFailures) >= 0)
        {
            RecordForHolder(authorizationId, "void", "fail", authorizationId);
            throw new HttpRequestException("The payment provider is unavailable (simulated).");
        }

        RecordForHolder(authorizationId, "void", "approve", authorizationId);
        return Task.CompletedTask;
    }

    public async Task<CardCharge> ChargeAsync(CardChargeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _calls.Enqueue(new CardPaymentCall("charge", request.Reference, request.Amount, request.IdempotencyKey));
        var scripted = await ScriptedAsync("charge", request.TenantId, request.CustomerId, request.Reference, cancellationToken).ConfigureAwait(false);
        var declined = DeclinedCustomers.ContainsKey(request.CustomerId) || DeclinedChargeCustomers.ContainsKey(request.CustomerId) || scripted is not null;
        Record(request.TenantId, request.CustomerId, "charge", declined ? "decline" : "approve",
            $"{request.Reference} {request.Amount.Amount} {request.Amount.Currency}{(declined ? ": " + (scripted ?? "card-declined") : string.Empty)}");
        return declined
            ? new CardCharge(false, null, scripted ?? "card-declined")
            : new CardCharge(true, "ch_" + request.IdempotencyKey, null);
    }

    /// <returns>The decline code when a script declines the call; null to go on as configured.</returns>
    private async Task<string?> ScriptedAsync(string operation, string tenantId, string customerId, string reference, CancellationToken cancellationToken)
    {
        if (control?.Next(PartnerSimulators.CardPayments, tenantId, customerId) is not { } outcome)
        {
            return null;
        }

        try
        {
            await control.WaitAsync(outcome, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            Record(tenantId, customerId, operation, PartnerSimulatorControl.NameOf(outcome.Outcome), $"{reference}: {ex.Message}");
            throw;
        }

        return outcome.Outcome is SimulatedOutcomeKind.Decline or SimulatedOutcomeKind.Reject ? outcome.Code ?? "card-declined" : null;
    }

    private void Record(string tenantId, string customerId, string operation, string outcome, string detail) =>
        control?.Record(PartnerSimulators.CardPayments, tenantId, customerId, operation, outcome, detail);

    private void RecordForHolder(string authorizationId, string operation, string outcome, string detail)
    {
        if (_holders.TryGetValue(authorizationId, out var holder))
        {
            Record(holder.Tenant, holder.Customer, operation, outcome, detail);
        }
    }
}

/// <param name="Reference">The subscription or invoice id for authorize/charge, the authorization id for capture/void.</param>
public sealed record CardPaymentCall(string Operation, string Reference, Money? Amount, string IdempotencyKey);
