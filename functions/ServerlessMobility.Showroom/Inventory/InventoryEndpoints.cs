using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Showroom.LiveUpdates;

namespace ServerlessMobility.Showroom.Inventory;

/// <param name="Lat">WGS 84 latitude, -90 to 90.</param>
/// <param name="Lon">WGS 84 longitude, -180 to 180.</param>
public sealed record LocationRequest([property: Range(-90, 90)] double Lat, [property: Range(-180, 180)] double Lon);

/// <summary>What describes a vehicle for sale, as sent when adding or correcting it.</summary>
/// <param name="Price">Above 0, at most 100,000,000, in the currency's minor units.</param>
/// <param name="Location">Where the dealership keeps it: the point distance sorting measures from.</param>
public record VehicleSpecsRequest(
    [property: StringLength(InventoryEndpoints.MaxNameLength), RegularExpression(InputFormats.Text)] string Make,
    [property: StringLength(InventoryEndpoints.MaxNameLength), RegularExpression(InputFormats.Text)] string Model,
    [property: Range(InventoryEndpoints.MinYear, InventoryEndpoints.MaxYear)] int Year,
    [property: StringLength(InventoryEndpoints.MaxNameLength), RegularExpression(InputFormats.Text)] string? Trim,
    FuelType Fuel,
    [property: StringLength(InventoryEndpoints.MaxNameLength), RegularExpression(InputFormats.Text)] string Colour,
    [property: Range(0, InventoryEndpoints.MaxMileageKm)] int MileageKm,
    [property: Range(0, InventoryEndpoints.MaxPrice, MinimumIsExclusive = true)] decimal Price,
    [property: RegularExpression(InputFormats.CurrencyCode)] string Currency,
    LocationRequest Location,
    [property: StringLength(InventoryEndpoints.MaxDescriptionLength), RegularExpression(InputFormats.Text)] string? Description = null);

/// <summary>Where a vehicle joins the stock.</summary>
public enum InitialVehicleStatus
{
    Available,
    Demo,
}

/// <param name="Vin">17 letters and digits without I, O and Q; the vehicle's id in this dealership.</param>
/// <param name="Status">Available (the default) or Demo.</param>
public sealed record AddVehicleRequest(
    [property: RegularExpression(VinFormat.Pattern)] string Vin,
    string Make, string Model, int Year, string? Trim, FuelType Fuel, string Colour, int MileageKm, decimal Price, string Currency, LocationRequest Location,
    string? Description = null, InitialVehicleStatus? Status = null)
    : VehicleSpecsRequest(Make, Model, Year, Trim, Fuel, Colour, MileageKm, Price, Currency, Location, Description);

/// <param name="LeadId">Who a reservation is for: a lead being worked...</param>
/// <param name="SaleId">...or a sale; exactly one of them for Reserved, optional for Sold, none otherwise.</param>
public sealed record ChangeVehicleStatusRequest(
    VehicleStatus Status,
    [property: StringLength(InventoryEndpoints.MaxIdLength), RegularExpression(InputFormats.ClientId)] string? LeadId = null,
    [property: StringLength(InventoryEndpoints.MaxIdLength), RegularExpression(InputFormats.ClientId)] string? SaleId = null);

/// <param name="FileName">The photo's file name: jpg, jpeg, png, webp or heic.</param>
/// <param name="ContentType">The type that goes with the extension (image/jpeg for .jpg).</param>
public sealed record RequestPhotoUploadRequest(
    [property: StringLength(VehiclePhotoLinks.MaxFileNameLength), RegularExpression(VehiclePhotoLinks.FileNamePattern)] string FileName,
    [property: RegularExpression(VehiclePhotoLinks.ContentTypePattern)] string ContentType);

/// <summary>PUT the bytes to <paramref name="UploadUrl"/> with <paramref name="Headers"/> before <paramref name="ExpiresAt"/>; the photo is listed with the vehicle once uploaded.</summary>
/// <param name="MaxBytes">A larger file is stored but never shown.</param>
public sealed record PhotoUploadSlot(VehiclePhotoView Photo, Uri UploadUrl, DateTimeOffset ExpiresAt, string Method, IReadOnlyDictionary<string, string> Headers, long MaxBytes);

/// <summary>A vehicle as answered. Customers never get <see cref="Reservation"/> or <see cref="History"/>.</summary>
/// <param name="Photos">Read from storage with the vehicle; null where not read (lists, live changes).</param>
public sealed record InventoryVehicleView(
    string Vin, string Make, string Model, int Year, string? Trim, FuelType Fuel, string Colour, int MileageKm, decimal Price, string Currency,
    GeoPoint Location, string? Description, VehicleStatus Status, VehicleReservation? Reservation, IReadOnlyList<VehicleStatusChange>? History,
    IReadOnlyList<VehiclePhotoView>? Photos, DateTimeOffset AddedAt, DateTimeOffset UpdatedAt, long Version)
{
    public static InventoryVehicleView Of(InventoryVehicle vehicle, IReadOnlyList<VehiclePhotoView>? photos = null)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        var s = vehicle.Specs;
        return new(vehicle.Vin, s.Make, s.Model, s.Year, s.Trim, s.Fuel, s.Colour, s.MileageKm, s.Price, s.Currency, s.Location, s.Description, vehicle.Status,
            vehicle.Reservation, vehicle.History, photos, vehicle.AddedAt, vehicle.UpdatedAt, vehicle.Version);
    }

    public InventoryVehicleView ForCustomer() => this with { Reservation = null, History = null };
}

public sealed record InventoryPage(IReadOnlyList<InventoryVehicleView> Items, int Page, int PageSize, int Total);

/// <summary>
/// A dealership's stock: staff add vehicles, correct them under If-Match, move their status and upload photos;
/// customers of the dealership read what is available. Every committed write reaches the search index and the live
/// change stream (<see cref="CommittedInventoryChanges"/>).
/// </summary>
public static class InventoryEndpoints
{
    public const int MaxNameLength = 40;
    public const int MaxDescriptionLength = 2000;
    public const int MaxIdLength = 64;
    public const int MinYear = 1900;
    public const int MaxYear = 2100;
    public const int MaxMileageKm = 2_000_000;
    public const double MaxPrice = 100_000_000;
    public const int PageSize = 50;

    public static async Task<Created<InventoryVehicleView>> AddAsync(AddVehicleRequest request, HttpContext http, [FromServices] ITenantRepository<InventoryVehicle> inventory,
        [FromServices] CommittedInventoryChanges changes, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var vin = request.Vin?.Trim().ToUpperInvariant();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!InputFormats.Matches(vin, VinFormat.Pattern))
        {
            errors["vin"] = [VinFormat.Description];
        }

        var status = request.Status == InitialVehicleStatus.Demo ? VehicleStatus.Demo : VehicleStatus.Available;
        if (request.Status is { } asked && !Enum.IsDefined(asked))
        {
            errors["status"] = ["A vehicle joins the stock Available or Demo."];
        }

        var specs = SpecsOf(request, now, errors);
        var user = CurrentUser.FromPrincipal(http.User);
        var vehicle = new InventoryVehicle { Id = vin!, TenantId = user.TenantId, Specs = specs, Status = status, AddedAt = now, UpdatedAt = now, Version = 1 };
        var stored = await inventory.CreateAsync(user.TenantId, vehicle.Id, vehicle, cancellationToken);
        await changes.PublishAsync(InventoryChangeKind.Added, stored.Value, null);
        http.Response.Headers.ETag = stored.ETag;
        return TypedResults.Created($"/api/showroom/inventory/{vehicle.Id}", InventoryVehicleView.Of(stored.Value, []));
    }

    /// <summary>Read through this instance's short-lived cache (<c>Showroom:InventoryReadCache</c>): tablets and customers' apps read the same cars in bursts.</summary>
    public static async Task<Ok<InventoryVehicleView>> GetAsync(string vin, HttpContext http, [FromServices] ITenantRepository<InventoryVehicle> inventory,
        [FromServices] TenantReadCache<InventoryVehicle> cache, [FromServices] VehiclePhotoLinks photos, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(photos);
        var user = CurrentUser.FromPrincipal(http.User);
        var found = await LoadVisibleAsync(vin, user, inventory, cancellationToken, cache);
        http.Response.Headers.ETag = found.ETag;
        var staff = ShowroomAccess.IsStaff(user);
        var view = InventoryVehicleView.Of(found.Value, await photos.ReadAsync(found.Value, staff, cancellationToken));
        return TypedResults.Ok(staff ? view : view.ForCustomer());
    }

    /// <summary>Newest first. Customers get the available vehicles whatever they ask for; staff may filter by status.</summary>
    public static async Task<Ok<InventoryPage>> ListAsync(VehicleStatus? status, int? page, HttpContext http, [FromServices] ITenantRepository<InventoryVehicle> inventory,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(inventory);
        var number = Paging.PageNumber(page);
        var user = CurrentUser.FromPrincipal(http.User);
        var staff = ShowroomAccess.IsStaff(user);
        var filter = staff ? status : VehicleStatus.Available;
        var all = await inventory.QueryAsync(user.TenantId, filter is null ? null : "status", filter, cancellationToken);
        var items = Paging.Slice(all.OrderByDescending(v => v.AddedAt).ThenBy(v => v.Id, StringComparer.Ordinal), number, PageSize)
            .Select(v => staff ? InventoryVehicleView.Of(v) : InventoryVehicleView.Of(v).ForCustomer()).ToList();
        return TypedResults.Ok(new InventoryPage(items, number, PageSize, all.Count));
    }

    /// <summary>
    /// Corrects the description and price. The If-Match header must carry the ETag of the vehicle as last read: two
    /// people editing the same version must not silently overwrite each other (409 for the second).
    /// </summary>
    public static async Task<Ok<InventoryVehicleView>> UpdateAsync(string vin, VehicleSpecsRequest request, HttpContext http,
        [FromServices] ITenantRepository<InventoryVehicle> inventory, [FromServices] CommittedInventoryChanges changes, [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var specs = SpecsOf(request, now, new Dictionary<string, string[]>(StringComparer.Ordinal));
        var user = CurrentUser.FromPrincipal(http.User);
        var current = await LoadVisibleAsync(vin, user, inventory, cancellationToken);

        // Checked after the vehicle is found, so another dealership's VIN is a 404 however the request is made.
        var eTag = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(eTag))
        {
            throw RequestValidationException.For("If-Match", "The ETag of the vehicle as last read is required.");
        }

        current.Value.Revise(specs, now);
        var stored = await inventory.ReplaceAsync(user.TenantId, current.Value.Id, current.Value, eTag, cancellationToken);
        await changes.PublishAsync(InventoryChangeKind.Updated, stored.Value, null);
        http.Response.Headers.ETag = stored.ETag;
        return TypedResults.Ok(InventoryVehicleView.Of(stored.Value));
    }

    public static async Task<Ok<InventoryVehicleView>> ChangeStatusAsync(string vin, ChangeVehicleStatusRequest request, HttpContext http,
        [FromServices] ITenantRepository<InventoryVehicle> inventory, [FromServices] InventoryReservations reservations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(reservations);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!Enum.IsDefined(request.Status))
        {
            errors["status"] = [$"One of {string.Join(", ", Enum.GetNames<VehicleStatus>())}."];
        }

        if (request.LeadId is not null && !InputFormats.IsClientId(request.LeadId, MaxIdLength))
        {
            errors["leadId"] = [$"An id of letters, digits, '-' or '_' (at most {MaxIdLength})."];
        }

        if (request.SaleId is not null && !InputFormats.IsClientId(request.SaleId, MaxIdLength))
        {
            errors["saleId"] = [$"An id of letters, digits, '-' or '_' (at most {MaxIdLength})."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var current = await LoadVisibleAsync(vin, user, inventory, cancellationToken);
        var vehicle = await reservations.ChangeStatusAsync(user.TenantId, current.Value.Id, request.Status, user.Subject, request.LeadId, request.SaleId, cancellationToken);
        return TypedResults.Ok(InventoryVehicleView.Of(vehicle));
    }

    public static async Task<Created<PhotoUploadSlot>> RequestPhotoUploadAsync(string vin, RequestPhotoUploadRequest request, HttpContext http,
        [FromServices] ITenantRepository<InventoryVehicle> inventory, [FromServices] VehiclePhotoLinks photos, [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(photos);
        ArgumentNullException.ThrowIfNull(time);

        // The request is checked before the vehicle is read, so a wrong file type is a 400 whether or not the vehicle exists.
        var contentType = VehiclePhotoLinks.Check(request.FileName, request.ContentType);
        var user = CurrentUser.FromPrincipal(http.User);
        var current = await LoadVisibleAsync(vin, user, inventory, cancellationToken);
        var now = time.GetUtcNow();
        var photo = new VehiclePhoto($"p{Guid.NewGuid():N}"[..17], request.FileName, contentType, now, user.Subject);
        var (vehicle, _) = await Storage.ShowroomRepositoryUpdates.UpdateIfChangedAsync(inventory, user.TenantId, current.Value.Id, v =>
        {
            v.AddPhoto(photo, now);
            return true;
        }, "Vehicle", cancellationToken);

        var link = await photos.UploadLinkAsync(vehicle, photo, cancellationToken);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["x-ms-blob-type"] = "BlockBlob",
            ["x-ms-blob-content-type"] = contentType,
        };
        return TypedResults.Created($"/api/showroom/inventory/{vehicle.Vin}",
            new PhotoUploadSlot(new VehiclePhotoView(photo.Id, photo.FileName, photo.ContentType, photo.RequestedAt, PhotoStatus.Pending), link.Url, link.ExpiresAt, "PUT", headers,
                VehiclePhotoLinks.MaxBytes));
    }

    /// <summary>Another dealership's vehicle, a malformed VIN, and for a customer a vehicle not for sale all answer 404, so nothing can be probed.</summary>
    /// <param name="cache">Only for reads that change nothing: a write decides on the stored version, never on a cached copy.</param>
    internal static async Task<Versioned<InventoryVehicle>> LoadVisibleAsync(string vin, CurrentUser user, ITenantRepository<InventoryVehicle> inventory,
        CancellationToken cancellationToken, TenantReadCache<InventoryVehicle>? cache = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var id = vin?.Trim().ToUpperInvariant() ?? string.Empty;
        var found = !InputFormats.Matches(id, VinFormat.Pattern) ? null
            : cache is null ? await inventory.GetAsync(user.TenantId, id, cancellationToken)
            : await cache.GetAsync(user.TenantId, id, ct => inventory.GetAsync(user.TenantId, id, ct)).WaitAsync(cancellationToken);
        if (found is null || (!ShowroomAccess.IsStaff(user) && found.Value.Status != VehicleStatus.Available))
        {
            throw new ResourceNotFoundException("Vehicle", id);
        }

        return found;
    }

    /// <summary>Checks every field and throws one 400 naming each bad one (together with <paramref name="errors"/> found before).</summary>
    private static VehicleSpecs SpecsOf(VehicleSpecsRequest request, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        void Text(string field, string? value, int max, bool required)
        {
            if ((value is not null || required) && !InputFormats.IsText(value, max))
            {
                errors[field] = [$"{(required ? "Required" : "When given")}: at most {max} characters, not blank."];
            }
        }

        Text("make", request.Make, MaxNameLength, true);
        Text("model", request.Model, MaxNameLength, true);
        Text("trim", request.Trim, MaxNameLength, false);
        Text("colour", request.Colour, MaxNameLength, true);
        Text("description", request.Description, MaxDescriptionLength, false);
        if (request.Year is < MinYear or > MaxYear)
        {
            errors["year"] = [$"A model year from {MinYear} to {MaxYear}."];
        }

        if (!Enum.IsDefined(request.Fuel))
        {
            errors["fuel"] = [$"One of {string.Join(", ", Enum.GetNames<FuelType>())}."];
        }

        if (request.MileageKm is < 0 or > MaxMileageKm)
        {
            errors["mileageKm"] = [$"0 to {MaxMileageKm} km."];
        }

        var currencyValid = Platform.Currencies.Currency.IsValidCode(request.Currency);
        if (!currencyValid)
        {
            errors["currency"] = ["An ISO 4217 code of three upper-case letters is required."];
        }

        if (request.Price is <= 0 or > (decimal)MaxPrice || (currencyValid && !Platform.Currencies.Currency.HasValidPrecision(request.Price, request.Currency)))
        {
            errors["price"] = ["Above zero, at most 100,000,000 and in the currency's minor units."];
        }

        if (request.Location is not { } location || !GeoPoint.IsValid(location.Lat, location.Lon))
        {
            errors["location"] = ["A latitude from -90 to 90 and a longitude from -180 to 180."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        // Well formed, but no dealer stocks a model year that is not out yet (next year's models are sold from the autumn).
        if (request.Year > now.Year + 1)
        {
            throw new BusinessRuleException("showroom-model-year", $"Model year {request.Year} is not on sale yet; the latest is {now.Year + 1}.");
        }

        return new VehicleSpecs(request.Make.Trim(), request.Model.Trim(), request.Year, request.Trim?.Trim(), request.Fuel, request.Colour.Trim(), request.MileageKm,
            request.Price, request.Currency, new GeoPoint(request.Location.Lat, request.Location.Lon), request.Description?.Trim());
    }
}
