using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using ServerlessMobility.CarAsAService.Customers;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Platform.Workflows.Management;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.CarAsAService.Features;

/// <param name="Country">Only when the owner's country is not on record (ISO 3166-1 alpha-2).</param>
public sealed record PurchaseFeatureRequest([property: Required] FeatureDuration? Duration, [property: RegularExpression(InputFormats.CountryCode)] string? Country = null);

public sealed record FeaturePurchaseResponse(FeatureSubscription Subscription, string StatusQueryGetUri);

/// <summary>A catalog feature as one vehicle sees it: whether it can be bought now, and if not, why.</summary>
public sealed record VehicleFeatureOffer(string Code, string Name, IReadOnlyList<FeatureDuration> AllowedDurations, Catalog.PriceBreakdown? MonthlyPrice,
    bool Available, IReadOnlyList<string> UnavailableReasons, FeatureSubscriptionState? CurrentState);

/// <summary>
/// Over-the-air features: the dealership's catalog per model, and purchases and cancellations by the
/// vehicle's owner. The vehicle is resolved through the connected-vehicle registry with the caller's
/// token, so another tenant's or another customer's vehicle is a 404.
/// </summary>
public static class FeatureEndpoints
{
    /// <summary>A feature code in a route: letters, digits, '-' and '_'.</summary>
    public const int MaxCodeLength = 50;

    private static readonly string[] StaffRoles = [PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin];

    public static RouteGroupBuilder MapCarAsAServiceFeatures(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        const string Tag = "Car-as-a-Service features";
        api.MapPut("/models/{modelId}/features/{code}", PutDefinitionAsync).WithName("PutFeatureDefinition").WithTags(Tag).RequireRoles(PlatformRoles.DealerAdmin);
        api.MapGet("/models/{modelId}/features", ListDefinitionsAsync).WithName("ListFeatureDefinitions").WithTags(Tag).RequireRoles(StaffRoles);
        api.MapGet("/vehicles/{vin}/features", ListOffersAsync).WithName("ListVehicleFeatures").WithTags(Tag).RequireRoles([.. StaffRoles, PlatformRoles.Customer]);
        api.MapGet("/vehicles/{vin}/features/subscriptions", ListSubscriptionsAsync).WithName("ListFeatureSubscriptions").WithTags(Tag).RequireRoles([.. StaffRoles, PlatformRoles.Customer]);
        api.MapPost("/vehicles/{vin}/features/{code}/purchase", PurchaseAsync).WithName("PurchaseFeature").WithTags(Tag).RequireRoles(PlatformRoles.Customer);
        api.MapPost("/vehicles/{vin}/features/{code}/cancel", CancelAsync).WithName("CancelFeature").WithTags(Tag).RequireRoles(PlatformRoles.Customer);
        api.MapPost("/customers/{customerId}/feature-invoices/{invoiceId}/settlement", FeatureInvoiceSettlement.SettleAsync)
            .WithName("SettleFeatureInvoice").WithTags(Tag).RequireRoles(PlatformRoles.DealerAdmin);
        return api;
    }

    public static async Task<Ok<FeatureDefinition>> PutDefinitionAsync(string modelId, [StringLength(MaxCodeLength), RegularExpression(InputFormats.ClientId)] string code, FeatureDefinitionRequest request, HttpContext http,
        [FromServices] ITenantRepository<Catalog.VehicleModel> models, [FromServices] ITenantRepository<FeatureDefinition> catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        var user = CurrentUser.FromPrincipal(http.User);
        RequireCode(code);

        // The body is judged before the model is looked up: a malformed entry is a 400 whatever the model.
        var definition = request.ToDefinition(user.TenantId, modelId, code);
        _ = await models.GetAsync(user.TenantId, modelId, cancellationToken) ?? throw new ResourceNotFoundException("Model", modelId);
        var existing = await catalog.GetAsync(user.TenantId, definition.Id, cancellationToken);
        var stored = existing is null
            ? await catalog.CreateAsync(user.TenantId, definition.Id, definition, cancellationToken)
            : await catalog.ReplaceAsync(user.TenantId, definition.Id, definition, existing.ETag, cancellationToken);
        return TypedResults.Ok(stored.Value);
    }

    public static async Task<Ok<IReadOnlyList<FeatureDefinition>>> ListDefinitionsAsync(string modelId, HttpContext http,
        [FromServices] ITenantRepository<FeatureDefinition> catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = CurrentUser.FromPrincipal(http.User);
        return TypedResults.Ok(await catalog.QueryAsync(user.TenantId, "modelId", modelId, cancellationToken));
    }

    public static async Task<Ok<IReadOnlyList<VehicleFeatureOffer>>> ListOffersAsync(string vin, HttpContext http, [FromServices] IVehicleRegistry registry,
        [FromServices] IVehicleConditions conditions, [FromServices] IMaintenanceSystem maintenance, [FromServices] ITenantRepository<FeatureDefinition> catalog,
        [FromServices] ITenantRepository<FeatureSubscription> subscriptions, [FromServices] ITenantRepository<Customer> customers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(subscriptions);
        var vehicle = await VehicleAccess.AuthorizeAsync(vin, http, registry, cancellationToken);
        if (vehicle.Model is null)
        {
            return TypedResults.Ok<IReadOnlyList<VehicleFeatureOffer>>([]);
        }

        var country = await CountryOfAsync(vehicle, null, customers, cancellationToken);
        var firmware = await FirmwareOfAsync(vehicle, conditions, cancellationToken);
        MaintenanceStatus? status = null;
        var current = (await subscriptions.QueryAsync(vehicle.TenantId, "vin", vehicle.Vin, cancellationToken)).Where(s => s.IsOpen).ToList();
        var offers = new List<VehicleFeatureOffer>();
        foreach (var feature in (await catalog.QueryAsync(vehicle.TenantId, "modelId", vehicle.Model, cancellationToken)).OrderBy(f => f.Code, StringComparer.Ordinal))
        {
            var reasons = new List<string>();
            Catalog.PriceBreakdown? price = null;
            if (country is null)
            {
                reasons.Add("The owner's country is not known.");
            }
            else if (feature.Prices.Any(p => string.Equals(p.Country, country, StringComparison.OrdinalIgnoreCase)))
            {
                price = feature.MonthlyPrice(country);
            }
            else
            {
                reasons.Add($"Not sold in {country}.");
            }

            reasons.AddRange(FirmwareReasons(feature, firmware));
            if (feature.RequiresMaintenanceUpToDate)
            {
                status ??= await maintenance.GetStatusAsync(vehicle.TenantId, vehicle.Vin, cancellationToken);
                if (status.Overdue)
                {
                    reasons.Add(status.Reason ?? "Maintenance is overdue.");
                }
            }

            var open = current.FirstOrDefault(s => s.FeatureCode == feature.Code);
            if (open is not null)
            {
                reasons.Add($"Already {open.State.ToString().ToLowerInvariant()}.");
            }

            offers.Add(new VehicleFeatureOffer(feature.Code, feature.Name, feature.AllowedDurations, price, reasons.Count == 0, reasons, open?.State));
        }

        return TypedResults.Ok<IReadOnlyList<VehicleFeatureOffer>>(offers);
    }

    public static async Task<Ok<IReadOnlyList<FeatureSubscription>>> ListSubscriptionsAsync(string vin, HttpContext http, [FromServices] IVehicleRegistry registry,
        [FromServices] ITenantRepository<FeatureSubscription> subscriptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        var vehicle = await VehicleAccess.AuthorizeAsync(vin, http, registry, cancellationToken);
        var user = CurrentUser.FromPrincipal(http.User);
        var all = await subscriptions.QueryAsync(vehicle.TenantId, "vin", vehicle.Vin, cancellationToken);

        // An owner sees their own purchases, not those of the vehicle's previous owner.
        var visible = StaffRoles.Any(user.IsInRole)
            ? all
            : [.. all.Where(s => s.CustomerId == user.Subject)];
        return TypedResults.Ok<IReadOnlyList<FeatureSubscription>>([.. visible.OrderByDescending(s => s.RequestedAt)]);
    }

    /// <summary>
    /// Checks catalog, firmware, maintenance and duplicates, then claims the vehicle's slot for the feature
    /// and starts the activation workflow. Nothing is charged here: the workflow holds the price first.
    /// </summary>
    public static async Task<Accepted<FeaturePurchaseResponse>> PurchaseAsync(string vin, [StringLength(MaxCodeLength), RegularExpression(InputFormats.ClientId)] string code, PurchaseFeatureRequest request, HttpContext http,
        [FromServices] IVehicleRegistry registry, [FromServices] IVehicleConditions conditions, [FromServices] IMaintenanceSystem maintenance,
        [FromServices] ITenantRepository<FeatureDefinition> catalog, [FromServices] ITenantRepository<FeatureSubscription> subscriptions,
        [FromServices] ITenantRepository<FeatureSlot> slots, [FromServices] ITenantRepository<Customer> customers,
        [FromServices] DurableTaskClient workflows, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(maintenance);
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(time);
        if (request.Duration is not { } duration || !Enum.IsDefined(duration))
        {
            throw RequestValidationException.For("duration", "One of OneMonth, TwelveMonths, OpenEndedMonthly is required.");
        }

        // A malformed country is refused whether or not the owner's country is on record (then it is not needed).
        if (request.Country is not null && !InputFormats.IsCountryCode(request.Country))
        {
            throw RequestValidationException.For("country", "An ISO 3166 two-letter country code is required.");
        }

        RequireCode(code);
        var vehicle = await VehicleAccess.AuthorizeAsync(vin, http, registry, cancellationToken);
        var user = CurrentUser.FromPrincipal(http.User);
        var feature = vehicle.Model is null ? null : (await catalog.GetAsync(vehicle.TenantId, FeatureDefinition.IdFor(vehicle.Model, code), cancellationToken))?.Value;
        if (feature is null)
        {
            throw new ResourceNotFoundException("Feature", code);
        }

        var country = await CountryOfAsync(vehicle, request.Country, customers, cancellationToken)
            ?? throw RequestValidationException.For("country", "The owner's country is not on record: give the ISO 3166 country code.");
        var firmwareReasons = FirmwareReasons(feature, await FirmwareOfAsync(vehicle, conditions, cancellationToken)).ToList();
        if (firmwareReasons.Count > 0)
        {
            throw new BusinessRuleException("feature-firmware", firmwareReasons[0]);
        }

        if (feature.RequiresMaintenanceUpToDate && await maintenance.GetStatusAsync(vehicle.TenantId, vehicle.Vin, cancellationToken) is { Overdue: true } overdue)
        {
            throw new BusinessRuleException("maintenance-up-to-date", $"'{feature.Name}' needs the vehicle's maintenance to be up to date. {overdue.Reason}");
        }

        var now = time.GetUtcNow();
        var subscription = FeatureSubscription.Request(Guid.NewGuid().ToString("N"), user.Subject, vehicle.Vin, feature, duration, country, now);
        await ClaimSlotAsync(subscription, slots, subscriptions, cancellationToken);
        await subscriptions.CreateAsync(subscription.TenantId, subscription.Id, subscription, cancellationToken);
        await workflows.StartOnceAsync(FeatureActivationWorkflow.Name, subscription.InstanceId, new FeaturePurchaseRef(subscription.TenantId, subscription.Id), cancellationToken);
        return TypedResults.Accepted($"/api/vehicles/{vehicle.Vin}/features/subscriptions",
            new FeaturePurchaseResponse(subscription, WorkflowStatusEndpoints.StatusQueryUri(http.Request, subscription.InstanceId)));
    }

    /// <summary>Asks the workflow to switch the active feature off; only an active subscription can be cancelled.</summary>
    public static async Task<Accepted<FeatureSubscription>> CancelAsync(string vin, [StringLength(MaxCodeLength), RegularExpression(InputFormats.ClientId)] string code, HttpContext http, [FromServices] IVehicleRegistry registry,
        [FromServices] ITenantRepository<FeatureSlot> slots, [FromServices] ITenantRepository<FeatureSubscription> subscriptions,
        [FromServices] DurableTaskClient workflows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(subscriptions);
        ArgumentNullException.ThrowIfNull(workflows);
        RequireCode(code);
        var vehicle = await VehicleAccess.AuthorizeAsync(vin, http, registry, cancellationToken);
        var user = CurrentUser.FromPrincipal(http.User);
        var slot = await slots.GetAsync(vehicle.TenantId, FeatureSlot.IdFor(vehicle.Vin, code), cancellationToken);
        var subscription = slot is null ? null : (await subscriptions.GetAsync(vehicle.TenantId, slot.Value.SubscriptionId, cancellationToken))?.Value;
        if (subscription is null || subscription.CustomerId != user.Subject)
        {
            throw new ResourceNotFoundException("Feature subscription", code);
        }

        if (subscription.State != FeatureSubscriptionState.Active)
        {
            throw new ConflictException($"The subscription is {subscription.State}; only an active one can be cancelled.");
        }

        if (!await workflows.RaiseIfRunningAsync(subscription.InstanceId, FeatureActivationWorkflow.CancelEvent, new CancelFeatureEvent(user.Subject), cancellationToken))
        {
            throw new ConflictException("The subscription's activation workflow is no longer running; it cannot be cancelled.");
        }
        return TypedResults.Accepted($"/api/vehicles/{vehicle.Vin}/features/subscriptions", subscription);
    }

    private static async Task ClaimSlotAsync(FeatureSubscription subscription, ITenantRepository<FeatureSlot> slots,
        ITenantRepository<FeatureSubscription> subscriptions, CancellationToken cancellationToken)
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

    private static async Task<string?> CountryOfAsync(VehicleRegistration vehicle, string? requested, ITenantRepository<Customer> customers, CancellationToken cancellationToken)
    {
        if (vehicle.OwnerSubject is not null && await customers.GetAsync(vehicle.TenantId, vehicle.OwnerSubject, cancellationToken) is { } customer)
        {
            return customer.Value.Country.ToUpperInvariant();
        }

        if (requested is null)
        {
            return null;
        }

        return InputFormats.IsCountryCode(requested)
            ? requested.ToUpperInvariant()
            : throw RequestValidationException.For("country", "An ISO 3166 two-letter country code is required.");
    }

    private static async Task<string?> FirmwareOfAsync(VehicleRegistration vehicle, IVehicleConditions conditions, CancellationToken cancellationToken) =>
        (await conditions.GetLatestAsync(vehicle.TenantId, vehicle.Vin, cancellationToken))?.FirmwareVersion;


    private static IEnumerable<string> FirmwareReasons(FeatureDefinition feature, string? firmware)
    {
        if (firmware is null)
        {
            yield return "The vehicle has not reported its firmware version yet.";
        }
        else if (!FirmwareVersion.IsAtLeast(firmware, feature.MinimumFirmware))
        {
            yield return $"Needs firmware {feature.MinimumFirmware} or newer; the vehicle runs {firmware}.";
        }
    }

    private static void RequireCode(string code)
    {
        if (!InputFormats.IsClientId(code, MaxCodeLength))
        {
            throw RequestValidationException.For("code", $"A feature code is 1-{MaxCodeLength} letters, digits, '-' or '_'.");
        }
    }
}
