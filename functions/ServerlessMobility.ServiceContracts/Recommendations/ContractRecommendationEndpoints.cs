using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.ServiceContracts.Jurisdictions;
using ServerlessMobility.ServiceContracts.Pricing;
using ServerlessMobility.ServiceContracts.Products;
using ServerlessMobility.ServiceContracts.Quotes;

namespace ServerlessMobility.ServiceContracts.Recommendations;

/// <summary>The answer: the vehicle as judged (odometer and where it came from, the fault codes seen) and every product ranked.</summary>
public sealed record RecommendationsResponse(string Vin, int OdometerKm, bool OdometerFromTelemetry, IReadOnlyList<string> FaultCodes, IReadOnlyList<ContractRecommendation> Products);

/// <summary>Which of the dealership's contracts suits a vehicle, with the reasons, for staff quoting at the desk.</summary>
public static class ContractRecommendationEndpoints
{
    public static readonly TimeSpan FaultHistory = TimeSpan.FromDays(365);

    public static void MapContractRecommendations(this IEndpointRouteBuilder api) =>
        api.MapGet("/service-contract-recommendations", RecommendAsync).WithTags("Service contracts").WithName("RecommendServiceContracts")
            .RequireRoles(PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin, PlatformRoles.Admin);

    /// <param name="vin">The vehicle: its latest odometer and fault codes come from telemetry when the dealership's vehicle reports.</param>
    /// <param name="jurisdiction">Where the contract would be sold (DE, ES, FR, GB, KE, IN, US-CA).</param>
    /// <param name="model">The vehicle's model (eligibility and model surcharges).</param>
    /// <param name="firstRegistered">First registration date, YYYY-MM-DD (age).</param>
    /// <param name="odometerKm">The odometer, used when telemetry has no reading of the vehicle.</param>
    public static async Task<Ok<RecommendationsResponse>> RecommendAsync(string? vin, string? jurisdiction, string? model, string? firstRegistered, string? odometerKm,
        HttpContext http, ITenantRepository<ContractProduct> products, IVehicleConditions conditions, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(products);
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var errors = new FieldErrors();
        var normalizedVin = vin?.Trim().ToUpperInvariant();
        errors.Check(InputFormats.Matches(normalizedVin, VinFormat.Pattern), "vin", VinFormat.Description);
        errors.Check(InputFormats.Matches(jurisdiction, CountryRulebook.JurisdictionPattern), "jurisdiction", "A country code (DE) or a country and subdivision (US-CA) is required.");
        errors.Check(InputFormats.IsText(model, ContractProductsEndpoints.MaxNameLength), "model", "The vehicle's model is required.");
        var registered = DateOnly.TryParseExact(firstRegistered, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : (DateOnly?)null;
        errors.Check(registered is { } r && r <= today, "firstRegistered", "The first registration date, YYYY-MM-DD, not in the future.");
        int? givenOdometer = int.TryParse(odometerKm, NumberStyles.None, CultureInfo.InvariantCulture, out var km) && km <= ContractQuotesEndpoints.MaxOdometerKm ? km : null;
        errors.Check(odometerKm is null || givenOdometer is not null, "odometerKm", $"The odometer reading is 0 to {ContractQuotesEndpoints.MaxOdometerKm} km.");
        errors.ThrowIfAny();
        var country = CountryRulebook.Find(jurisdiction!)
            ?? throw new BusinessRuleException("jurisdiction-not-served", $"Contracts are sold in {string.Join(", ", CountryRulebook.Jurisdictions)}.");

        var user = CurrentUser.FromPrincipal(http.User);
        var reading = await conditions.GetLatestAsync(user.TenantId, normalizedVin!, cancellationToken);
        var fromTelemetry = reading is { HasReading: true };
        var odometer = fromTelemetry ? (int)Math.Round(reading!.OdometerKm) : givenOdometer
            ?? throw RequestValidationException.For("odometerKm", "The vehicle has no telemetry reading here: give its odometer.");
        var faults = await conditions.FaultCodesAsync(user.TenantId, normalizedVin!, now - FaultHistory, now, cancellationToken);
        var profile = new VehicleProfile(new VehicleFacts(normalizedVin!, model!.Trim(), registered!.Value, odometer), fromTelemetry, faults);
        var ranked = ContractRecommender.Recommend(await products.QueryAsync(user.TenantId, cancellationToken: cancellationToken), profile, country, today);
        return TypedResults.Ok(new RecommendationsResponse(normalizedVin!, odometer, fromTelemetry, [.. faults.Select(f => f.Code).Distinct(StringComparer.Ordinal)], ranked));
    }
}
