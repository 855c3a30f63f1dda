using System.Text.Json;

namespace ServerlessMobility.LocalHost.Tests.Isolation;

/// <summary>
/// Tenant A's showroom leads for the isolation cases, each made fresh per call through the API and driven to the stage its
/// route needs, so tenant A's request always succeeds and tenant B's names a lead that exists, in A only.
/// </summary>
internal static class ShowroomLeadIsolationCases
{
    public const string Staff = "dealer-staff";
    public const string Admin = "dealer-admin";

    /// <summary>The salesperson whose points only tenant A's leaderboard may show.</summary>
    public const string PointsEarner = "iso-sales-earner";

    /// <summary>The name of tenant A's buyer that only tenant A's list of leads may show.</summary>
    public const string ListedName = "Iso Listed Buyer";

    public static IEnumerable<KeyValuePair<string, IsolationCase>> All() =>
    [
        // The same person captured by both dealerships is a lead of each: B's capture creates B's own lead.
        new("POST /api/showroom/leads", new(Staff, Isolation.Separate, (w, s) => w.RequestAsync(HttpMethod.Post, "/api/showroom/leads", Staff, s, Capture("iso-lead@example.test")))),
        new("POST /api/showroom/leads/enquiries", new("customer", Isolation.Separate, (w, s) => w.RequestAsync(HttpMethod.Post, "/api/showroom/leads/enquiries", "customer", s,
            new { name = "Iso Enquirer", email = "iso-enquiry@example.test" }))),
        // The list is one query in the caller's partition: B's holds none of A's buyers, whatever filter it names.
        new("GET /api/showroom/leads", new(Staff, Isolation.Collection, async (w, s) =>
        {
            if (s == Side.Own)
            {
                await OkAsync(w, HttpMethod.Post, "/api/showroom/leads", Staff, new { source = "WalkIn", name = ListedName, email = w.NextId("iso-listed") + "@example.test" });
            }

            return await w.RequestAsync(HttpMethod.Get, "/api/showroom/leads?stage=New&source=WalkIn&top=200", Staff, s);
        }, _ => ListedName)),
        new("GET /api/showroom/leads/{id}", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Get, $"/api/showroom/leads/{await LeadAsync(w, negotiating: false)}", Staff, s))),
        new("POST /api/showroom/leads/{id}/activities", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/showroom/leads/{await LeadAsync(w, negotiating: false)}/activities", Staff, s, new { kind = "Call", note = "Iso call" }))),
        new("POST /api/showroom/leads/{id}/stage", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/showroom/leads/{await LeadAsync(w, negotiating: false)}/stage", Staff, s, new { stage = "Lost", reason = "Iso" }))),
        new("POST /api/showroom/leads/{id}/assignment", new(Admin, Isolation.NamedObject, async (w, s) =>
        {
            await OkAsync(w, HttpMethod.Put, "/api/showroom/salespeople/iso-sales", Admin, new { name = "Iso Sales", active = true });
            return await w.RequestAsync(HttpMethod.Post, $"/api/showroom/leads/{await LeadAsync(w, negotiating: false)}/assignment", Admin, s, new { salespersonId = "iso-sales" });
        })),
        new("POST /api/showroom/leads/{id}/convert", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/showroom/leads/{await LeadAsync(w, negotiating: true)}/convert", Staff, s,
                new { vehicleId = w.NextId("iso-veh"), price = 20_000m, currency = "EUR" }))),
        // Tenant A's lead and car both exist in A only: B names A's lead and finds none (404), so B's hand-off reserves and lists nothing.
        new("POST /api/showroom/leads/{id}/hand-off", new(Staff, Isolation.NamedObject, async (w, s) =>
        {
            var vin = await ShowroomIsolationCases.VehicleAsync(w);
            return await w.RequestAsync(HttpMethod.Post, $"/api/showroom/leads/{await LeadAsync(w, negotiating: false)}/hand-off", Staff, s,
                new { productLine = "RentToOwn", vin, deposit = 0m, weeks = 104 });
        })),
        new("GET /api/showroom/leads/{id}/score", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Get, $"/api/showroom/leads/{await LeadAsync(w, negotiating: false)}/score", Staff, s))),

        // Models are per dealership: B's retraining stores B's own version.
        new("POST /api/showroom/lead-model/retrain", new(Admin, Isolation.Separate, (w, s) => w.RequestAsync(HttpMethod.Post, "/api/showroom/lead-model/retrain", Admin, s, new { rows = 500 }))),
        new("PUT /api/showroom/salespeople/{id}", new(Admin, Isolation.Separate, (w, s) => w.RequestAsync(HttpMethod.Put, "/api/showroom/salespeople/iso-roster", Admin, s, new { name = "Iso Roster" }))),
        new("GET /api/showroom/leaderboard", new(Staff, Isolation.Collection, async (w, s) =>
        {
            if (s == Side.Own)
            {
                await OkAsync(w, HttpMethod.Post, "/api/showroom/leads", Staff, Capture(w.NextId("iso-points") + "@example.test"), PointsEarner);
            }

            return await w.RequestAsync(HttpMethod.Get, "/api/showroom/leaderboard?period=month", Staff, s);
        }, _ => PointsEarner)),

        // The analytics list the stock: A's shows a car of the make tenant B never holds, B's shows none of A's.
        new("GET /api/showroom/analytics", new(Admin, Isolation.Collection, async (w, s) =>
        {
            await ShowroomIsolationCases.VehicleAsync(w);
            return await w.RequestAsync(HttpMethod.Get, "/api/showroom/analytics", Admin, s);
        }, _ => ShowroomIsolationCases.Make)),
        new("GET /api/showroom/analytics.xlsx", new(Admin, Isolation.Collection, async (w, s) =>
        {
            await ShowroomIsolationCases.VehicleAsync(w);
            return await w.RequestAsync(HttpMethod.Get, "/api/showroom/analytics.xlsx", Admin, s);
        })),

        // A stream's body is not read by the isolation test; LeaderboardLiveHttpTests shows another dealership's award never reaches it.
        new("GET /api/showroom/leaderboard/changes", new(Staff, Isolation.Collection, (w, s) => w.RequestAsync(HttpMethod.Get, "/api/showroom/leaderboard/changes", Staff, s))),
    ];

    private static object Capture(string email) => new { source = "WalkIn", name = "Iso Buyer", email };

    /// <summary>A new lead of tenant A (a person of its own), contacted and in negotiation when <paramref name="negotiating"/>.</summary>
    private static async Task<string> LeadAsync(IsolationWorld world, bool negotiating)
    {
        var id = (await OkAsync(world, HttpMethod.Post, "/api/showroom/leads", Staff, Capture(world.NextId("iso-lead") + "@example.test"))).GetProperty("id").GetString()!;
        if (negotiating)
        {
            await OkAsync(world, HttpMethod.Post, $"/api/showroom/leads/{id}/activities", Staff, new { kind = "Visit" });
            await OkAsync(world, HttpMethod.Post, $"/api/showroom/leads/{id}/stage", Staff, new { stage = "Negotiating" });
        }

        return id;
    }

    private static async Task<JsonElement> OkAsync(IsolationWorld world, HttpMethod method, string path, string role, object? body = null, string? subject = null)
    {
        using var request = await world.RequestAsync(method, path, role, Side.Own, body, subject);
        using var response = await world.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} as tenant A's {role}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
