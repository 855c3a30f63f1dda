using System.Globalization;
using System.Text.Json;

namespace ServerlessMobility.LocalHost.Tests.Isolation;

/// <summary>
/// Tenant A's showroom stock for the isolation cases: a fresh vehicle per call, added through the API, so tenant A's
/// request always succeeds and tenant B's names a VIN that exists in A's stock only.
/// </summary>
internal static class ShowroomIsolationCases
{
    public const string Staff = "dealer-staff";

    /// <summary>A make no other fixture uses: tenant A's search and suggestions hold it, tenant B's must not.</summary>
    public const string Make = "Isomake";

    public static IEnumerable<KeyValuePair<string, IsolationCase>> All() =>
    [
        // Both tenants add a car here: not of the make the collection cases look for, which tenant B must never hold.
        new("POST /api/showroom/inventory", new(Staff, Isolation.Separate, (w, s) => w.RequestAsync(HttpMethod.Post, "/api/showroom/inventory", Staff, s, Vehicle(Vin(w), "Postmake")))),
        new("GET /api/showroom/inventory", new(Staff, Isolation.Collection, async (w, s) =>
        {
            var vin = await VehicleAsync(w);
            return await w.RequestAsync(HttpMethod.Get, "/api/showroom/inventory", Staff, s);
        }, _ => Make)),
        new("GET /api/showroom/inventory/changes", new(Staff, Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Get, "/api/showroom/inventory/changes", Staff, s))),
        new("GET /api/showroom/inventory/{vin}", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Get, $"/api/showroom/inventory/{await VehicleAsync(w)}", Staff, s))),
        new("PUT /api/showroom/inventory/{vin}", new(Staff, Isolation.NamedObject, async (w, s) =>
        {
            // The If-Match of tenant A's vehicle as A read it: tenant B presenting it still finds no such vehicle.
            var vin = await VehicleAsync(w);
            using var read = await w.RequestAsync(HttpMethod.Get, $"/api/showroom/inventory/{vin}", Staff, Side.Own);
            using var response = await w.SendAsync(read);
            var request = await w.RequestAsync(HttpMethod.Put, $"/api/showroom/inventory/{vin}", Staff, s, Specs(25_000m));
            request.Headers.TryAddWithoutValidation("If-Match", response.Headers.ETag?.ToString());
            return request;
        })),
        new("POST /api/showroom/inventory/{vin}/status", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/showroom/inventory/{await VehicleAsync(w)}/status", Staff, s, new { status = "Demo" }))),
        new("POST /api/showroom/inventory/{vin}/photos", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/showroom/inventory/{await VehicleAsync(w)}/photos", Staff, s, new { fileName = "front.jpg", contentType = "image/jpeg" }))),
        new("GET /api/showroom/search", new(Staff, Isolation.Collection, async (w, s) =>
        {
            await VehicleAsync(w);
            return await w.RequestAsync(HttpMethod.Get, $"/api/showroom/search?q={Make}", Staff, s);
        }, _ => Make)),
        new("GET /api/showroom/search/suggest", new(Staff, Isolation.Collection, async (w, s) =>
        {
            await VehicleAsync(w);
            return await w.RequestAsync(HttpMethod.Get, "/api/showroom/search/suggest?prefix=isom", Staff, s);
        }, _ => Make)),
    ];

    /// <summary>A VIN of its own per call (17 characters, no I, O or Q).</summary>
    private static string Vin(IsolationWorld world) => "WSMSR" + world.NextNumber().ToString("D12", CultureInfo.InvariantCulture);

    private static object Specs(decimal price) => new
    {
        make = Make, model = "Model S", year = 2024, trim = "Base", fuel = "Electric", colour = "Red", mileageKm = 10, price, currency = "EUR",
        location = new { lat = 48.1, lon = 11.5 },
    };

    private static object Vehicle(string vin, string make = Make) => new
    {
        vin, make, model = "Model S", year = 2024, trim = "Base", fuel = "Electric", colour = "Red", mileageKm = 10, price = 24_000m, currency = "EUR",
        location = new { lat = 48.1, lon = 11.5 },
    };

    internal static async Task<string> VehicleAsync(IsolationWorld world)
    {
        var vin = Vin(world);
        using var request = await world.RequestAsync(HttpMethod.Post, "/api/showroom/inventory", Staff, Side.Own, Vehicle(vin));
        using var response = await world.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/showroom/inventory as tenant A's {Staff}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("vin").GetString()!;
    }
}
