using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.CarAsAService.Features;

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

    /// <summary>What a malformed feature code is told, by the routes that check it and by the purchase's validator.</summary>
    public static readonly string CodeRule = $"A feature code is 1-{MaxCodeLength} letters, digits, '-' or '_'.";

    private static readonly string[] StaffRoles = [PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin];

    public static RouteGroupBuilder MapCarAsAServiceFeatures(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        const string Tag = "Car-as-a-Service features";
        api.MapPut("/models/{modelId}/features/{code}", PutDefinitionAsync).WithName("PutFeatureDefinition").WithTags(Tag).RequireRoles(PlatformRoles.DealerAdmin);
        api.MapGet("/models/{modelId}/features", ListDefinitionsAsync).WithName("ListFeatureDefinitions").WithTags(Tag).RequireRoles(StaffRoles);
        api.MapGet("/vehicles/{vin}/features", ListOffersAsync).WithName("ListVehicleFeatures").WithTags(Tag).RequireRoles([.. StaffRoles, PlatformRoles.Customer]);
        api.MapGet("/vehicles/{vin}/features/subscriptions", ListSubscriptionsAsync).WithName("ListFeatureSubscriptions").WithTags(Tag).RequireRoles([.. StaffRoles, PlatformRoles.Customer]);
        api.MapPost("/vehicles/{vin}/features/{code}/purchase", PurchaseFeatureEndpoint.PurchaseAsync).WithName("PurchaseFeature").WithTags(Tag).RequireRoles(PlatformRoles.Customer);
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
        [FromServices] FeatureEligibility eligibility, [FromServices] ITenantRepository<FeatureDefinition> catalog,
        [FromServices] ITenantRepository<FeatureSubscription> subscriptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(eligibility);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(subscriptions);
        var vehicle = await VehicleAccess.AuthorizeAsync(vin, http, registry, cancellationToken);
        if (vehicle.Model is null)
        {
            return TypedResults.Ok<IReadOnlyList<VehicleFeatureOffer>>([]);
        }

        var country = await eligibility.CountryOfAsync(vehicle, null, cancellationToken);
        var firmware = await eligibility.FirmwareOfAsync(vehicle, cancellationToken);
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

            reasons.AddRange(FeatureEligibility.FirmwareReasons(feature, firmware));
            if (feature.RequiresMaintenanceUpToDate)
            {
                status ??= await eligibility.MaintenanceOfAsync(vehicle, cancellationToken);
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

    private static void RequireCode(string code)
    {
        if (!InputFormats.IsClientId(code, MaxCodeLength))
        {
            throw RequestValidationException.For("code", CodeRule);
        }
    }
}
