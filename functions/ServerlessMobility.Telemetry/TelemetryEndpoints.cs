using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Vehicles;

namespace ServerlessMobility.Telemetry;

/// <param name="OwnerSubject">Optional: who owns the vehicle (a customer's subject); staff see it either way.</param>
/// <param name="Model">Optional: the model id, used by the feature catalog.</param>
/// <param name="RotateDeviceKey">Replace the vehicle's device key and show the new one (the old one stops working at the next connection).</param>
public sealed record RegisterVehicleRequest([property: Required, RegularExpression(VinFormat.Pattern)] string? Vin, string? OwnerSubject = null, string? Model = null, bool? RotateDeviceKey = null);

/// <summary>
/// A registered vehicle. <see cref="Device"/> holds its device credentials only in the response that created its
/// device identity or rotated its key: the key is shown once and the platform cannot show it again.
/// </summary>
public sealed record VehicleRegistered(string Vin, string TenantId, string? OwnerSubject, string? Model, DateTimeOffset RegisteredAt, DeviceCredentials? Device)
    : Platform.Security.Idempotency.IShownOnce
{
    public object WithoutSecrets() => this with { Device = null };

    public static VehicleRegistered From(VehicleRegistration registration, DeviceCredentials? device)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return new(registration.Vin, registration.TenantId, registration.OwnerSubject, registration.Model, registration.RegisteredAt, device);
    }
}

/// <summary>
/// A circle (center + radiusMeters) or a polygon. The limits are declared here for the OpenAPI document and
/// enforced by <see cref="Geofence.Validate"/> (400 problem details).
/// </summary>
/// <param name="Kind">Allowed when not given.</param>
public sealed record GeofenceRequest(
    [property: Required, StringLength(Geofence.MaxNameLength, MinimumLength = 1), RegularExpression(InputFormats.Text)] string? Name,
    GeofenceKind? Kind = null,
    GeoPoint? Center = null,
    [property: Range(0, Geofence.MaxRadiusMeters, MinimumIsExclusive = true)] double? RadiusMeters = null,
    [property: MinLength(Geofence.MinPolygonVertices), MaxLength(Geofence.MaxPolygonVertices)] IReadOnlyList<GeoPoint>? Polygon = null,
    [property: StringLength(Geofence.MaxContractIdLength, MinimumLength = 1), RegularExpression(Geofence.ContractIdPattern)] string? ContractId = null);

/// <summary>One vehicle of the dealership's list, as its registration says.</summary>
public sealed record VehicleListItem(string Vin, string? OwnerSubject, string? Model, DateTimeOffset RegisteredAt);

/// <summary>A page of the dealership's vehicles in VIN order.</summary>
/// <param name="Next">The VIN to pass as <c>after</c> for the next page; null on the last page.</param>
public sealed record VehicleListPage(IReadOnlyList<VehicleListItem> Items, string? Next);

/// <summary>
/// Vehicle telemetry routes under /api/vehicles. Every route resolves the vehicle through the registry
/// and the caller's token: staff of the vehicle's tenant see it, a customer only a vehicle they own;
/// anything else is a 404 so the API never confirms that another tenant's VIN exists.
/// </summary>
public static class TelemetryEndpoints
{
    private static readonly string[] StaffRoles = [.. VehicleAccess.StaffRoles];
    private static readonly string[] GeofenceWriterRoles = [PlatformRoles.DealerAdmin, PlatformRoles.Operator, PlatformRoles.Admin, PlatformRoles.Agent, PlatformRoles.DealerStaff];
    private static readonly string[] ReaderRoles = [.. StaffRoles, PlatformRoles.Customer];

    public static RouteGroupBuilder MapTelemetry(this IEndpointRouteBuilder api)
    {
        var vehicles = api.MapGroup("/vehicles").WithTags("Vehicles and telemetry");
        api.MapPost("/vehicles", RegisterAsync).WithTags("Vehicles and telemetry").WithName("RegisterVehicle").RequireRoles(StaffRoles);
        api.MapGet("/vehicles", ListAsync).WithTags("Vehicles and telemetry").WithName("ListVehicles").RequireRoles(StaffRoles);
        vehicles.MapGet("/{vin}/state", GetStateAsync).WithName("GetVehicleState").RequireRoles(ReaderRoles);
        vehicles.MapGet("/{vin}/trips", GetTripsAsync).WithName("GetVehicleTrips").RequireRoles(ReaderRoles);
        vehicles.MapGet("/{vin}/risk-events", GetRiskEventsAsync).WithName("GetVehicleRiskEvents").RequireRoles(ReaderRoles);
        vehicles.MapGet("/{vin}/geofences", ListGeofencesAsync).WithName("ListVehicleGeofences").RequireRoles(ReaderRoles);
        vehicles.MapPut("/{vin}/geofences/{geofenceId}", PutGeofenceAsync).WithName("PutVehicleGeofence").RequireRoles(GeofenceWriterRoles);
        vehicles.MapDelete("/{vin}/geofences/{geofenceId}", DeleteGeofenceAsync).WithName("DeleteVehicleGeofence").RequireRoles(GeofenceWriterRoles);
        vehicles.MapGet("/{vin}/stream", StreamAsync).WithName("StreamVehicleState").RequireRoles(ReaderRoles);
        return vehicles;
    }

    /// <summary>
    /// Registers the vehicle in the caller's tenant and creates its device identity (IoT Hub's in Azure, the local
    /// broker's locally). The response carries the device's key only when the identity was created or its key
    /// rotated now.
    /// </summary>
    public static async Task<Created<VehicleRegistered>> RegisterAsync(RegisterVehicleRequest request, HttpContext http, IVehicleRegistry registry, IDeviceIdentityRegistry devices, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        if (!StaffRoles.Any(user.IsInRole))
        {
            throw new ForbiddenException("Only dealership staff, operators and admins register vehicles.");
        }

        var vin = request.Vin?.Trim().ToUpperInvariant();
        if (vin is null || !VehicleAccess.IsVin(vin))
        {
            throw RequestValidationException.For("vin", VinFormat.Description);
        }

        var existing = await registry.GetAsync(vin, cancellationToken);
        if (existing is not null && existing.TenantId != user.TenantId)
        {
            throw new ConflictException($"Vehicle '{vin}' is registered to another tenant.");
        }

        var registration = new VehicleRegistration(vin, user.TenantId, string.IsNullOrWhiteSpace(request.OwnerSubject) ? null : request.OwnerSubject, request.Model, existing?.RegisteredAt ?? time.GetUtcNow());
        await registry.UpsertAsync(registration, cancellationToken);
        var device = await devices.EnsureAsync(vin, request.RotateDeviceKey == true, cancellationToken);
        return TypedResults.Created($"/api/vehicles/{vin}/state", VehicleRegistered.From(registration, device));
    }

    public const int MaxListTake = 200;

    /// <summary>The caller's dealership's vehicles, <paramref name="take"/> (1 to 200, 50 by default) at a time after the VIN <paramref name="after"/>.</summary>
    public static async Task<Ok<VehicleListPage>> ListAsync(HttpContext http, IVehicleRegistry registry, string? after, [Range(1, MaxListTake)] int? take,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(registry);
        var count = take ?? 50;
        if (count is < 1 or > MaxListTake)
        {
            throw RequestValidationException.For("take", $"take is 1 to {MaxListTake}.");
        }

        var from = after?.Trim().ToUpperInvariant();
        if (from is not null && !VehicleAccess.IsVin(from))
        {
            throw RequestValidationException.For("after", "after is the VIN a previous page answered as next. " + VinFormat.Description);
        }

        var user = CurrentUser.FromPrincipal(http.User);
        // One more than asked tells whether a next page exists without a second query.
        var found = await registry.ListAsync(user.TenantId, from, count + 1, cancellationToken);
        var page = found.Take(count).Select(r => new VehicleListItem(r.Vin, r.OwnerSubject, r.Model, r.RegisteredAt)).ToList();
        return TypedResults.Ok(new VehicleListPage(page, found.Count > count ? page[^1].Vin : null));
    }

    public static async Task<Ok<VehicleStateView>> GetStateAsync(string vin, HttpContext http, IVehicleRegistry registry, ITelemetryStateStore states, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        var registration = await VehicleAccess.AuthorizeAsync(vin, http, registry, cancellationToken);
        var state = await states.GetAsync(registration.Vin, cancellationToken);
        if (state is not { HasReading: true })
        {
            throw new ResourceNotFoundException("Vehicle state", registration.Vin);
        }

        return TypedResults.Ok(VehicleStateView.From(state));
    }

    public static async Task<Ok<IReadOnlyList<DailyAggregate>>> GetTripsAsync(string vin, string? from, string? to, HttpContext http, IVehicleRegistry registry, IDailyAggregateStore aggregates, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(aggregates);
        ArgumentNullException.ThrowIfNull(time);
        var registration = await VehicleAccess.AuthorizeAsync(vin, http, registry, cancellationToken);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var fromDate = ParseDate(from, "from") ?? today.AddDays(-30);
        var toDate = ParseDate(to, "to") ?? today;
        if (fromDate > toDate)
        {
            throw RequestValidationException.For("from", "from must not be after to.");
        }

        if (toDate.DayNumber - fromDate.DayNumber > 366)
        {
            throw new BusinessRuleException("trips.range", "The range may cover at most 366 days.");
        }

        return TypedResults.Ok(await aggregates.QueryAsync(registration.Vin, fromDate, toDate, cancellationToken));
    }

    public static async Task<Ok<IReadOnlyList<RiskEvent>>> GetRiskEventsAsync(string vin, string? from, string? to, HttpContext http, IVehicleRegistry registry, IRiskEventStore riskEvents, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(riskEvents);
        ArgumentNullException.ThrowIfNull(time);
        var registration = await VehicleAccess.AuthorizeAsync(vin, http, registry, cancellationToken);
        var now = time.GetUtcNow();
        var fromTime = ParseTime(from, "from") ?? now.AddDays(-30);
        var toTime = ParseTime(to, "to") ?? now;
        if (fromTime > toTime)
        {
            throw RequestValidationException.For("from", "from must not be after to.");
        }

        return TypedResults.Ok(await riskEvents.QueryAsync(registration.Vin, fromTime, toTime, cancellationToken));
    }

    public static async Task<Ok<IReadOnlyList<Geofence>>> ListGeofencesAsync(string vin, HttpContext http, IVehicleRegistry registry, IGeofenceStore geofences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(geofences);
        var registration = await VehicleAccess.AuthorizeAsync(vin, http, registry, cancellationToken);
        return TypedResults.Ok(await geofences.ListAsync(registration.Vin, cancellationToken));
    }

    public static async Task<Ok<Geofence>> PutGeofenceAsync(string vin, [RegularExpression(InputFormats.ClientId), StringLength(Geofence.MaxIdLength)] string geofenceId, GeofenceRequest request, HttpContext http, IVehicleRegistry registry, IGeofenceStore geofences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(geofences);
        if (!InputFormats.IsClientId(geofenceId, Geofence.MaxIdLength))
        {
            throw RequestValidationException.For("geofenceId", $"Use 1-{Geofence.MaxIdLength} letters, digits, '-' or '_'.");
        }

        // The body is judged before the vehicle is looked up: a malformed zone is a 400 whoever asks.
        var proposed = new Geofence(geofenceId, vin, request.Name ?? string.Empty, request.Kind ?? GeofenceKind.Allowed, request.Center, request.RadiusMeters, request.Polygon, request.ContractId);
        if (proposed.Validate() is { } error)
        {
            throw RequestValidationException.For(error.Field, error.Error);
        }

        var registration = await VehicleAccess.AuthorizeAsync(vin, http, registry, cancellationToken);
        RequireWriter(http);
        var geofence = proposed with { Vin = registration.Vin };

        await geofences.UpsertAsync(geofence, cancellationToken);
        return TypedResults.Ok(geofence);
    }

    public static async Task<NoContent> DeleteGeofenceAsync(string vin, string geofenceId, HttpContext http, IVehicleRegistry registry, IGeofenceStore geofences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(geofences);
        var registration = await VehicleAccess.AuthorizeAsync(vin, http, registry, cancellationToken);
        RequireWriter(http);
        if (!await geofences.DeleteAsync(registration.Vin, geofenceId, cancellationToken))
        {
            throw new ResourceNotFoundException("Geofence", geofenceId);
        }

        return TypedResults.NoContent();
    }

    /// <summary>Server-Sent Events: the current state at once, then every update until the client leaves.</summary>
    public static async Task<ServerSentEventsResult<VehicleStateView>> StreamAsync(string vin, HttpContext http, IVehicleRegistry registry, ITelemetryStateStore states, VehicleStateBroadcaster broadcaster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(broadcaster);
        var registration = await VehicleAccess.AuthorizeAsync(vin, http, registry, cancellationToken);
        var current = await states.GetAsync(registration.Vin, cancellationToken);
        return TypedResults.ServerSentEvents(Stream(current, broadcaster.SubscribeAsync(registration.Vin, cancellationToken), cancellationToken), "state");

        static async IAsyncEnumerable<VehicleStateView> Stream(VehicleTelemetryState? current, IAsyncEnumerable<VehicleStateView> updates, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (current is { HasReading: true })
            {
                yield return VehicleStateView.From(current);
            }

            await foreach (var update in updates.WithCancellation(cancellationToken))
            {
                yield return update;
            }
        }
    }

    private static void RequireWriter(HttpContext http)
    {
        if (!GeofenceWriterRoles.Any(CurrentUser.FromPrincipal(http.User).IsInRole))
        {
            throw new ForbiddenException("Only staff, agents, operators and admins manage geofences.");
        }
    }

    private static DateOnly? ParseDate(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? null
        : DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : throw RequestValidationException.For(field, "Use a date as yyyy-MM-dd.");

    private static DateTimeOffset? ParseTime(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time
        : throw RequestValidationException.For(field, "Use an ISO 8601 date or time.");

}
