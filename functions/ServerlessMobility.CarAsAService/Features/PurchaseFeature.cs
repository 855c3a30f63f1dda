using System.ComponentModel.DataAnnotations;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Platform.Workflows.Management;

namespace ServerlessMobility.CarAsAService.Features;

// The purchase of an over-the-air feature as one use case: the request, its validation, the handler and the
// endpoint that binds, authorizes and maps. Nothing is charged here: the activation workflow holds the price first.

/// <param name="Country">Only when the owner's country is not on record (ISO 3166-1 alpha-2).</param>
public sealed record PurchaseFeatureRequest([property: Required] FeatureDuration? Duration, [property: RegularExpression(InputFormats.CountryCode)] string? Country = null);

public sealed record FeaturePurchaseResponse(FeatureSubscription Subscription, string StatusQueryGetUri);

/// <summary>A purchase as the owner asked for it: the feature code from the route and the body's choices.</summary>
public sealed record PurchaseFeature(string FeatureCode, FeatureDuration? Duration, string? Country);

/// <summary>The shape of a purchase, judged before the vehicle is looked up: a malformed request is a 400 whatever the vehicle.</summary>
public sealed class PurchaseFeatureValidator : AbstractValidator<PurchaseFeature>
{
    public PurchaseFeatureValidator()
    {
        RuleFor(p => p.FeatureCode).Must(code => InputFormats.IsClientId(code, FeatureEndpoints.MaxCodeLength)).OverridePropertyName("code")
            .WithMessage(FeatureEndpoints.CodeRule);
        RuleFor(p => p.Duration).Must(duration => duration is { } value && Enum.IsDefined(value))
            .WithMessage("One of OneMonth, TwelveMonths, OpenEndedMonthly is required.");
        // A malformed country is refused whether or not the owner's country is on record (then it is not needed).
        RuleFor(p => p.Country).Must(InputFormats.IsCountryCode).When(p => p.Country is not null)
            .WithMessage("An ISO 3166 two-letter country code is required.");
    }
}

/// <summary>
/// Checks catalog, country, firmware, maintenance and duplicates, then claims the vehicle's slot for the feature,
/// records the requested subscription and starts its activation workflow.
/// </summary>
/// <remarks>
/// Three writes that no transaction spans, each recoverable when the next never happens: a slot claim without
/// its subscription lapses after <see cref="FeatureSlot.ClaimGrace"/>; a Requested subscription whose workflow
/// never started (a crash between the last two writes) is started by the next purchase of the same feature,
/// which the slot refuses, so the owner's retry completes the first purchase instead of being stuck behind it.
/// The workflow start is idempotent (one instance id per subscription).
/// </remarks>
public sealed class PurchaseFeatureHandler(FeatureEligibility eligibility, ITenantRepository<FeatureDefinition> catalog,
    ITenantRepository<FeatureSlot> slots, ITenantRepository<FeatureSubscription> subscriptions, DurableTaskClient workflows, TimeProvider time)
{
    /// <param name="purchase">Already accepted by <see cref="PurchaseFeatureValidator"/>.</param>
    /// <param name="vehicle">A vehicle the caller may act on.</param>
    /// <param name="customerId">The buyer (the token's subject).</param>
    public async Task<FeatureSubscription> HandleAsync(PurchaseFeature purchase, VehicleRegistration vehicle, string customerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(purchase);
        ArgumentNullException.ThrowIfNull(vehicle);
        var duration = purchase.Duration ?? throw new ArgumentException("Validate the purchase first.", nameof(purchase));
        var feature = vehicle.Model is null ? null : (await catalog.GetAsync(vehicle.TenantId, FeatureDefinition.IdFor(vehicle.Model, purchase.FeatureCode), cancellationToken))?.Value;
        if (feature is null)
        {
            throw new ResourceNotFoundException("Feature", purchase.FeatureCode);
        }

        var country = await eligibility.CountryOfAsync(vehicle, purchase.Country, cancellationToken)
            ?? throw RequestValidationException.For("country", "The owner's country is not on record: give the ISO 3166 country code.");
        if (FeatureEligibility.FirmwareReasons(feature, await eligibility.FirmwareOfAsync(vehicle, cancellationToken)).FirstOrDefault() is { } firmwareReason)
        {
            throw new BusinessRuleException("feature-firmware", firmwareReason);
        }

        if (feature.RequiresMaintenanceUpToDate && await eligibility.MaintenanceOfAsync(vehicle, cancellationToken) is { Overdue: true } overdue)
        {
            throw new BusinessRuleException("maintenance-up-to-date", $"'{feature.Name}' needs the vehicle's maintenance to be up to date. {overdue.Reason}");
        }

        var subscription = FeatureSubscription.Request(Guid.NewGuid().ToString("N"), customerId, vehicle.Vin, feature, duration, country, time.GetUtcNow());
        await ClaimSlotAsync(subscription, cancellationToken);
        await subscriptions.CreateAsync(subscription.TenantId, subscription.Id, subscription, cancellationToken);
        await workflows.StartOnceAsync(FeatureActivationWorkflow.Name, subscription.InstanceId, new FeaturePurchaseRef(subscription.TenantId, subscription.Id), cancellationToken);
        return subscription;
    }

    /// <summary>
    /// One open subscription per vehicle and feature: the slot document names its holder, and a conditional write
    /// decides between two concurrent purchases. A claim whose holder is closed, or that was never followed by its
    /// subscription within the grace, can be taken over.
    /// </summary>
    private async Task ClaimSlotAsync(FeatureSubscription subscription, CancellationToken cancellationToken)
    {
        var slotId = FeatureSlot.IdFor(subscription.Vin, subscription.FeatureCode);
        var claim = new FeatureSlot(slotId, subscription.TenantId, subscription.Id, subscription.RequestedAt);
        var alreadyOpen = new ConflictException($"'{subscription.FeatureName}' is already active or being activated on this vehicle.");
        var existing = await slots.GetAsync(subscription.TenantId, slotId, cancellationToken);
        if (existing is null)
        {
            try
            {
                await slots.CreateAsync(subscription.TenantId, slotId, claim, cancellationToken);
                return;
            }
            catch (ConflictException)
            {
                throw alreadyOpen;
            }
        }

        var holder = await subscriptions.GetAsync(subscription.TenantId, existing.Value.SubscriptionId, cancellationToken);
        var claimInProgress = holder is null && subscription.RequestedAt - existing.Value.ClaimedAt < FeatureSlot.ClaimGrace;
        if (holder is { Value.State: FeatureSubscriptionState.Requested } requested)
        {
            // A no-op when its purchase started the workflow; otherwise that purchase died before it could.
            await workflows.StartOnceAsync(FeatureActivationWorkflow.Name, requested.Value.InstanceId,
                new FeaturePurchaseRef(requested.Value.TenantId, requested.Value.Id), cancellationToken);
        }

        if (holder is { Value.IsOpen: true } || claimInProgress)
        {
            throw alreadyOpen;
        }

        try
        {
            await slots.ReplaceAsync(subscription.TenantId, slotId, claim, existing.ETag, cancellationToken);
        }
        catch (ConflictException)
        {
            // Another purchase of the same feature claimed the slot between our read and write.
            throw alreadyOpen;
        }
    }
}

public static class PurchaseFeatureEndpoint
{
    public static async Task<Accepted<FeaturePurchaseResponse>> PurchaseAsync(string vin,
        [StringLength(FeatureEndpoints.MaxCodeLength), RegularExpression(InputFormats.ClientId)] string code, PurchaseFeatureRequest request, HttpContext http,
        [FromServices] IValidator<PurchaseFeature> validator, [FromServices] IVehicleRegistry registry, [FromServices] PurchaseFeatureHandler handler,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(handler);
        var purchase = new PurchaseFeature(code, request.Duration, request.Country);
        validator.ValidateOrThrow(purchase);
        var vehicle = await VehicleAccess.AuthorizeAsync(vin, http, registry, cancellationToken);
        var subscription = await handler.HandleAsync(purchase, vehicle, CurrentUser.FromPrincipal(http.User).Subject, cancellationToken);
        return TypedResults.Accepted($"/api/vehicles/{vehicle.Vin}/features/subscriptions",
            new FeaturePurchaseResponse(subscription, WorkflowStatusEndpoints.StatusQueryUri(http.Request, subscription.InstanceId)));
    }
}
