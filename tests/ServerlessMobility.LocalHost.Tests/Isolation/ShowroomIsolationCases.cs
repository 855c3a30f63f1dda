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
        // Each tenant's staff join their own dealership's groups: tenant A's group names never reach tenant B.
        new("POST /api/showroom/live/negotiate", new(Staff, Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Post, "/api/showroom/live/negotiate", Staff, s),
            _ => Showroom.LiveUpdates.ShowroomLiveGroups.InventoryStaff(IsolationWorld.TenantA))),
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

        // Saved searches are their owner's: B saving the same name keeps B's own; B finds none of A's to list, run or delete.
        new("POST /api/showroom/saved-searches", new(Staff, Isolation.Separate, (w, s) =>
            w.RequestAsync(HttpMethod.Post, "/api/showroom/saved-searches", Staff, s, new { name = "Iso shared name", criteria = new { make = "Postmake" } }))),
        new("GET /api/showroom/saved-searches", new(Staff, Isolation.Collection, async (w, s) =>
        {
            await SavedSearchAsync(w, SavedSearchMarker);
            return await w.RequestAsync(HttpMethod.Get, "/api/showroom/saved-searches", Staff, s);
        }, _ => SavedSearchMarker)),
        new("POST /api/showroom/saved-searches/{id}/runs", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/showroom/saved-searches/{await SavedSearchAsync(w, w.NextId("iso-run"))}/runs", Staff, s))),
        new("DELETE /api/showroom/saved-searches/{id}", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Delete, $"/api/showroom/saved-searches/{await SavedSearchAsync(w, w.NextId("iso-delete"))}", Staff, s))),
    ];

    private const string SavedSearchMarker = "Iso saved search of A";

    /// <summary>A saved search of tenant A's staff member under <paramref name="name"/>; its id.</summary>
    private static async Task<string> SavedSearchAsync(IsolationWorld world, string name)
    {
        using var request = await world.RequestAsync(HttpMethod.Post, "/api/showroom/saved-searches", Staff, Side.Own, new { name, criteria = new { make = Make } });
        using var response = await world.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /api/showroom/saved-searches as tenant A's {Staff}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

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
