using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Workshop.Tests.Http;

/// <summary>The run command's demo workshop: seeded at start, it takes a booking at once and shows a part to reorder.</summary>
public class WorkshopDemoDataTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DemoSeeded_BaysTechniciansAndParts_ReadyForABookingAndAReorder()
    {
        var tenant = "demo-" + Guid.NewGuid().ToString("N")[..8];
        await using var factory = new LocalHostFactory(emulators) { CheckResponsesAgainstOpenApi = true };
        factory.Settings["Mqtt:Enabled"] = "false";
        factory.Settings["Demo:Seed"] = "true";
        factory.Settings["Demo:TenantId"] = tenant;
        using var client = factory.CreateClient();
        await client.AuthorizeAsync("demo-advisor", tenant, "workshop-staff");

        // Seeding runs in the background after start-up.
        var suggestions = await Eventually.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync(new Uri("/api/workshop/parts/reorder-suggestions", UriKind.Relative), Ct);
                return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonElement>(Ct) : default;
            },
            s => s.ValueKind == JsonValueKind.Object && s.ToString().Contains("FLT-OIL", StringComparison.Ordinal),
            "the demo oil filters (3 on hand, reorder level 4) to be suggested for reordering");
        Assert.DoesNotContain("OIL-5W30", suggestions.ToString(), StringComparison.Ordinal);

        // Ada works weekdays 07:00-17:00 UTC: next Wednesday 09:00 is bookable in bay 1.
        var today = DateTime.UtcNow.Date;
        var wednesday = today.AddDays(((int)DayOfWeek.Wednesday - (int)today.DayOfWeek + 7) % 7 + 7).AddHours(9);
        using var booked = await client.PostAsJsonAsync("/api/workshop/bookings",
            new { customerId = "demo-customer", vehicleId = "WDEMX000000000001", bayId = "bay-1", skill = "diagnostics", start = new DateTimeOffset(wednesday, TimeSpan.Zero), hours = 2 }, Ct);
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        Assert.Equal("tech-ada", (await booked.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("technicianId").GetString());
    }
}
