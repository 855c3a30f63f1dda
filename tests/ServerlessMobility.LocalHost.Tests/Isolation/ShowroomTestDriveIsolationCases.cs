using System.Globalization;
using System.Text.Json;

namespace ServerlessMobility.LocalHost.Tests.Isolation;

/// <summary>
/// Tenant A's showroom test drives for the isolation cases: a fresh car and salesperson per call, the drive booked through
/// the API and brought to the status its route needs, so tenant A's request always succeeds and tenant B's names a drive
/// (or a car) that exists in A only.
/// </summary>
internal static class ShowroomTestDriveIsolationCases
{
    public const string Staff = "dealer-staff";
    public const string Admin = "dealer-admin";

    private enum Stage
    {
        Booked,
        Checked,
        Started,
        Finished,
    }

    public static IEnumerable<KeyValuePair<string, IsolationCase>> All() =>
    [
        // Booking names tenant A's car (and salesperson): tenant B finds no such car.
        new("POST /api/showroom/test-drives", new(Staff, Isolation.Reference, async (w, s) =>
        {
            var (vin, salesperson) = await CarAndSalespersonAsync(w);
            return await w.RequestAsync(HttpMethod.Post, "/api/showroom/test-drives", Staff, s, Booking(vin, salesperson));
        })),
        new("GET /api/showroom/test-drives/{id}", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Get, $"/api/showroom/test-drives/{await DriveAsync(w, Stage.Booked)}", Staff, s))),
        new("POST /api/showroom/test-drives/{id}/licence-check", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/showroom/test-drives/{await DriveAsync(w, Stage.Booked)}/licence-check", Staff, s, Licence()))),
        new("POST /api/showroom/test-drives/{id}/waiver", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/showroom/test-drives/{await DriveAsync(w, Stage.Booked)}/waiver", Staff, s, Waiver()))),
        new("POST /api/showroom/test-drives/{id}/start", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/showroom/test-drives/{await DriveAsync(w, Stage.Checked)}/start", Staff, s))),
        new("GET /api/showroom/test-drives/{id}/track", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Get, $"/api/showroom/test-drives/{await DriveAsync(w, Stage.Started)}/track", Staff, s))),
        new("POST /api/showroom/test-drives/{id}/finish", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/showroom/test-drives/{await DriveAsync(w, Stage.Started)}/finish", Staff, s))),
        new("POST /api/showroom/test-drives/{id}/feedback", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/showroom/test-drives/{await DriveAsync(w, Stage.Finished)}/feedback", Staff, s,
                new { rating = 4, interest = "High", comments = "Iso drive" }))),
        new("POST /api/showroom/test-drives/{id}/cancel", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/showroom/test-drives/{await DriveAsync(w, Stage.Booked)}/cancel", Staff, s, new { reason = "Iso cancel" }))),

        // An hour after the booking: a real move for tenant A, a drive tenant B cannot see.
        new("POST /api/showroom/test-drives/{id}/reschedule", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/showroom/test-drives/{await DriveAsync(w, Stage.Booked)}/reschedule", Staff, s,
                new { start = Tomorrow(11), durationMinutes = 30 }))),
    ];

    private static object Licence() => new { number = "ISO12345", country = "DE", expiresOn = "2090-01-01", categories = new[] { "B" }, dateOfBirth = "1980-05-05" };

    private static object Waiver() => new { signedName = "Iso Driver", textVersion = "2099-01" };

    /// <summary>Tomorrow at 10:00 UTC: on the grid and in the future whenever the suite runs; each call has its own car and salesperson.</summary>
    private static object Booking(string vin, string salesperson) => new
    {
        vin,
        salespersonId = salesperson,
        customerName = "Iso Driver",
        start = Tomorrow(10),
        durationMinutes = 30,
        leadId = (string?)null,
    };

    private static DateTimeOffset Tomorrow(int hour) => new(DateTime.UtcNow.Date.AddDays(1).AddHours(hour), TimeSpan.Zero);

    private static async Task<(string Vin, string Salesperson)> CarAndSalespersonAsync(IsolationWorld world)
    {
        var vin = "WSMTD" + world.NextNumber().ToString("D12", CultureInfo.InvariantCulture);
        await OkAsync(world, HttpMethod.Post, "/api/showroom/inventory", Staff, new
        {
            vin, make = "Isodrive", model = "Model S", year = 2024, trim = "Base", fuel = "Electric", colour = "Red", mileageKm = 10, price = 24_000m, currency = "EUR",
            location = new { lat = 48.1, lon = 11.5 }, status = "Demo",
        });
        var salesperson = world.NextId("iso-td-sales");
        await OkAsync(world, HttpMethod.Put, $"/api/showroom/salespeople/{salesperson}", Admin, new { name = "Iso Driver Sales", active = true });
        return (vin, salesperson);
    }

    private static async Task<string> DriveAsync(IsolationWorld world, Stage stage)
    {
        var (vin, salesperson) = await CarAndSalespersonAsync(world);
        var id = (await OkAsync(world, HttpMethod.Post, "/api/showroom/test-drives", Staff, Booking(vin, salesperson))).GetProperty("id").GetString()!;
        if (stage >= Stage.Checked)
        {
            await OkAsync(world, HttpMethod.Post, $"/api/showroom/test-drives/{id}/licence-check", Staff, Licence());
            await OkAsync(world, HttpMethod.Post, $"/api/showroom/test-drives/{id}/waiver", Staff, Waiver());
        }

        if (stage >= Stage.Started)
        {
            await OkAsync(world, HttpMethod.Post, $"/api/showroom/test-drives/{id}/start", Staff);
        }

        if (stage >= Stage.Finished)
        {
            await OkAsync(world, HttpMethod.Post, $"/api/showroom/test-drives/{id}/finish", Staff);
        }

        return id;
    }

    private static async Task<JsonElement> OkAsync(IsolationWorld world, HttpMethod method, string path, string role, object? body = null)
    {
        using var request = await world.RequestAsync(method, path, role, Side.Own, body);
        using var response = await world.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} as tenant A's {role}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
