using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Showroom.Financing;
using ServerlessMobility.Showroom.Inventory;

namespace ServerlessMobility.Showroom.Leads;

/// <summary>Hands a stock car over to another product line for the lead's buyer.</summary>
/// <param name="ProductLine">RentToOwn; CarAsAService is refused with a reason (it takes new cars from the factory).</param>
/// <param name="Deposit">Paid at the desk, in the car's currency; at least 0 and below its price.</param>
/// <param name="Weeks">The rent-to-own term, within Showroom:HandOff:RentToOwn:MinWeeks..MaxWeeks.</param>
/// <param name="Location">What the listing shows as the car's location; the dealership's coordinates when absent.</param>
public sealed record HandOffLeadRequest(
    HandOffProductLine? ProductLine,
    [property: RegularExpression(VinFormat.Pattern)] string? Vin,
    [property: Range(0, LeadsEndpoints.MaxAmount)] decimal Deposit = 0,
    [property: Range(1, LeadHandOffEndpoints.MaxWeeks)] int? Weeks = null,
    [property: StringLength(LeadHandOffEndpoints.MaxLocationLength, MinimumLength = 1), RegularExpression(InputFormats.Text)] string? Location = null);

/// <summary>The hand-off as recorded on the lead, with the rent-to-own listing it became.</summary>
/// <param name="ListingLink">The listing on the rent-to-own marketplace (<c>GET /api/listings/{id}</c>, for agents and customers of the tenant).</param>
public sealed record LeadHandOffView(
    string Id,
    string LeadId,
    HandOffProductLine ProductLine,
    string Vin,
    string ListingId,
    string ListingLink,
    string Currency,
    decimal Price,
    decimal Deposit,
    int Weeks,
    decimal FinanceChargeRate,
    decimal WeeklyInstalment,
    decimal TotalPayable,
    DateTimeOffset HandedOffAt,
    string HandedOffBy)
{
    public static LeadHandOffView Of(string leadId, LeadHandOff handOff)
    {
        ArgumentNullException.ThrowIfNull(handOff);
        return new(handOff.Id, leadId, handOff.ProductLine, handOff.Vin, handOff.ListingId, handOff.ListingLink, handOff.Price.Currency, handOff.Price.Amount,
            handOff.Deposit, handOff.Weeks, handOff.FinanceChargeRate, handOff.WeeklyInstalment, handOff.TotalPayable, handOff.At, handOff.By);
    }
}

/// <summary>
/// <c>POST /api/showroom/leads/{id}/hand-off</c>: a stock car of the dealership becomes a rent-to-own listing for the lead's buyer
/// (docs/flows/showroom.md, "Hand-off to rent-to-own"). Every step is idempotent by one hand-off id (tenant, lead, VIN) and the
/// steps run in the order that lets a retry finish what a failure left: reserve the car for the lead, list it, record it on the lead.
/// </summary>
public static class LeadHandOffEndpoints
{
    /// <summary>
    /// What the request schema allows; the terms the line offers (26..208 by default) are a business rule of the options, a
    /// 422 that names them, since a deployment can change them without changing the published schema.
    /// </summary>
    public const int MaxWeeks = 520;

    public const int MaxLocationLength = 100;

    public static async Task<Results<Created<LeadHandOffView>, Ok<LeadHandOffView>>> HandOffAsync(string id, HandOffLeadRequest request, HttpContext http,
        [FromServices] ITenantRepository<Lead> leads, [FromServices] ITenantRepository<InventoryVehicle> inventory, [FromServices] InventoryReservations reservations,
        [FromServices] IRentToOwnMarketplace marketplace, [FromServices] IOptions<RentToOwnHandOffOptions> options, [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(reservations);
        ArgumentNullException.ThrowIfNull(marketplace);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var rules = options.Value;
        var vin = Validate(request, rules);
        LeadsEndpoints.ValidateId(id, "id");
        var user = CurrentUser.FromPrincipal(http.User);
        var lead = (await LeadsEndpoints.LoadAsync(id, user, leads, cancellationToken)).Value;

        // Car-as-a-Service subscribes new cars ordered from the factory (POST /api/orders): a used or stock car has no place in it.
        if (request.ProductLine == HandOffProductLine.CarAsAService)
        {
            throw new BusinessRuleException("handoff-car-as-a-service-new-cars-only",
                "Car-as-a-Service takes new cars ordered from the factory through POST /api/orders; a car from the dealership's stock cannot be subscribed. Hand it off to RentToOwn, or order the model.");
        }

        var vehicle = (await inventory.GetAsync(user.TenantId, vin, cancellationToken))?.Value ?? throw new ResourceNotFoundException("Vehicle", vin);
        var price = new Money(vehicle.Specs.Price, vehicle.Specs.Currency);
        if (request.Deposit >= price.Amount || !Currency.HasValidPrecision(request.Deposit, price.Currency))
        {
            throw RequestValidationException.For("deposit", $"At least 0, below the car's price ({price.Amount.ToString(CultureInfo.InvariantCulture)} {price.Currency}) and in its minor units.");
        }

        var weeks = request.Weeks!.Value;
        var terms = RentToOwnTerms.Calculate(price.Amount, request.Deposit, weeks, rules.FinanceChargeRate, price.Currency);
        var now = time.GetUtcNow();
        var handOff = new LeadHandOff(HandOffId(user.TenantId, id, vin), HandOffProductLine.RentToOwn, vin, ListingId: string.Empty, price, request.Deposit, weeks,
            rules.FinanceChargeRate, terms.WeeklyInstalment, terms.TotalPayable, now, user.Subject);

        // A hand-off already recorded on these terms is a retry that finished: answer it without touching anything.
        if (lead.HandOff is { } done && done.SameTermsAs(handOff))
        {
            return TypedResults.Ok(LeadHandOffView.Of(id, done));
        }

        // Refuse what the lead, the car or the line cannot take before the first write, so a refusal reserves and lists nothing.
        lead.RecordHandOff(handOff);
        EnsureFree(vehicle, id);
        RentToOwnTerms.EnsureFits(price, weeks, rules);

        // 1. The car is held for this lead (a retry finds its own reservation); of two leads racing, the inventory's ETag lets one win.
        await reservations.ReserveForLeadAsync(user.TenantId, vin, id, ReservedBy, cancellationToken);

        // 2. The listing, under an id the marketplace derives from the hand-off id: a retry or a race lists once.
        var listing = await marketplace.ListForHandOffAsync(new RentToOwnListingRequest(user.TenantId, handOff.Id, vin, vehicle.Specs.Make, vehicle.Specs.Model,
            vehicle.Specs.Year, MarketplaceVehicleType.Car, price, terms.WeeklyInstalment, request.Location?.Trim() ?? Coordinates(vehicle.Specs.Location), user.Subject),
            cancellationToken);
        if (!listing.Created && listing.WeeklyInstalment != terms.WeeklyInstalment)
        {
            throw new ConflictException($"Vehicle '{vin}' was already listed for this lead at {listing.WeeklyInstalment.ToString(CultureInfo.InvariantCulture)} {price.Currency} a week (listing '{listing.ListingId}'); hand it off on those terms.");
        }

        // 3. The lead records it last, under its ETag: until then a retry redoes steps 1 and 2 as no-ops and lands here.
        var recorded = handOff with { ListingId = listing.ListingId };
        var (stored, added) = await leads.UpdateAsync(user.TenantId, id, current =>
        {
            var added = current.RecordHandOff(recorded);
            return (added, added);
        }, "Lead", LeadsEndpoints.IfMatch(http), cancellationToken);
        var view = LeadHandOffView.Of(id, stored.Value.HandOff!);
        return added ? TypedResults.Created(view.ListingLink, view) : TypedResults.Ok(view);
    }

    /// <summary>Recorded on the car's reservation: the process that holds it for the lead.</summary>
    public const string ReservedBy = "lead-hand-off";

    /// <summary>The hand-off's idempotency key: one per dealership, lead and car, so any retry of it finds the same reservation, listing and record.</summary>
    public static string HandOffId(string tenantId, string leadId, string vin)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{tenantId}\n{leadId}\n{vin}"));
        return "rto-" + Convert.ToHexStringLower(hash)[..32];
    }

    /// <returns>The VIN, trimmed and upper-cased.</returns>
    private static string Validate(HandOffLeadRequest request, RentToOwnHandOffOptions rules)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.ProductLine is not { } line || !Enum.IsDefined(line))
        {
            errors["productLine"] = ["RentToOwn or CarAsAService is required."];
        }

        var vin = request.Vin?.Trim().ToUpperInvariant();
        if (!InputFormats.Matches(vin, VinFormat.Pattern))
        {
            errors["vin"] = [VinFormat.Description];
        }

        if (request.Deposit < 0 || request.Deposit > (decimal)LeadsEndpoints.MaxAmount)
        {
            errors["deposit"] = ["At least 0 and below the car's price."];
        }

        if (request.Weeks is not (>= 1 and <= MaxWeeks))
        {
            errors["weeks"] = [$"A term of 1 to {MaxWeeks} weeks is required (the rent-to-own line offers {rules.MinWeeks} to {rules.MaxWeeks})."];
        }

        if (request.Location is not null && !InputFormats.IsText(request.Location, MaxLocationLength))
        {
            errors["location"] = [$"1 to {MaxLocationLength} characters, no control characters."];
        }

        return errors.Count > 0 ? throw new RequestValidationException(errors) : vin!;
    }

    /// <summary>Available, or already reserved for this lead (a retried hand-off, or a car the salesperson held for the buyer).</summary>
    private static void EnsureFree(InventoryVehicle vehicle, string leadId)
    {
        if (vehicle.Status == VehicleStatus.Available || (vehicle.Status == VehicleStatus.Reserved && vehicle.Reservation?.IsHeldBy(leadId, null) == true))
        {
            return;
        }

        throw new ConflictException(vehicle.Status == VehicleStatus.Reserved
            ? $"Vehicle '{vehicle.Vin}' is reserved for {vehicle.Reservation?.Holder ?? "someone else"}; only an available car can be handed off."
            : $"Vehicle '{vehicle.Vin}' is {vehicle.Status}; only an available car can be handed off.");
    }

    private static string Coordinates(GeoPoint point) => string.Create(CultureInfo.InvariantCulture, $"{point.Lat:0.####}, {point.Lon:0.####}");
}
