using System.Net;
using System.Text.Json;

namespace ServerlessMobility.LocalHost.Tests.Isolation;

/// <summary>
/// Tenant A's workshop objects for the isolation cases, each made fresh per call through the API and driven to the
/// stage its route needs, so tenant A's request always succeeds and tenant B's names an object that exists, in A only.
/// </summary>
internal static class WorkshopIsolationCases
{
    public const string Staff = "workshop-staff";
    public const string Location = "iso-main";
    public const string Sku = "iso-pad";

    private static readonly string[] WeekDays = Enum.GetNames<DayOfWeek>();

    public static IEnumerable<KeyValuePair<string, IsolationCase>> All() =>
    [
        new("PUT /api/workshop/bays/{id}", new(Staff, Isolation.Separate, (w, s) => w.RequestAsync(HttpMethod.Put, "/api/workshop/bays/iso-bay", Staff, s, Bay()))),
        new("PUT /api/workshop/technicians/{id}", new(Staff, Isolation.Separate, (w, s) => w.RequestAsync(HttpMethod.Put, "/api/workshop/technicians/iso-tech", Staff, s, Technician()))),
        new("POST /api/workshop/bookings", new(Staff, Isolation.Reference, async (w, s) =>
        {
            var bay = await FreshBayAndTechnicianAsync(w);
            return await w.RequestAsync(HttpMethod.Post, "/api/workshop/bookings", Staff, s, Booking(w, bay));
        })),
        new("GET /api/workshop/bookings/{id}", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Get, $"/api/workshop/bookings/{await BookingAsync(w)}", Staff, s))),
        new("POST /api/workshop/bookings/{id}/check-in", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/workshop/bookings/{await BookingAsync(w)}/check-in", Staff, s, CheckIn()))),
        new("GET /api/workshop/jobs/{id}", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Get, $"/api/workshop/jobs/{await JobAsync(w, Stage.CheckedIn)}", Staff, s))),
        new("POST /api/workshop/jobs/{id}/status", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/workshop/jobs/{await JobAsync(w, Stage.CheckedIn)}/status", Staff, s, new { status = "Inspecting" }))),
        new("PUT /api/workshop/jobs/{id}/estimate", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Put, $"/api/workshop/jobs/{await JobAsync(w, Stage.Inspecting)}/estimate", Staff, s, Estimate()))),
        new("POST /api/workshop/jobs/{id}/approval-links", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/workshop/jobs/{await JobAsync(w, Stage.Estimated)}/approval-links", Staff, s))),
        new("POST /api/workshop/jobs/{id}/media", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/workshop/jobs/{await JobAsync(w, Stage.CheckedIn)}/media", Staff, s, new { fileName = "iso.jpg", contentType = "image/jpeg" }))),
        new("POST /api/workshop/jobs/{id}/part-reservations", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/workshop/jobs/{await JobAsync(w, Stage.Approved)}/part-reservations", Staff, s))),
        new("POST /api/workshop/jobs/{id}/invoice", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/workshop/jobs/{await JobAsync(w, Stage.Completed)}/invoice", Staff, s))),
        new("POST /api/workshop/jobs/{id}/payments", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/workshop/jobs/{await JobAsync(w, Stage.Invoiced)}/payments", Staff, s, new { reference = w.NextId("iso-till"), amount = Gross }))),
        new("POST /api/workshop/jobs/{id}/charge", new(Staff, Isolation.NamedObject, async (w, s) =>
            await w.RequestAsync(HttpMethod.Post, $"/api/workshop/jobs/{await JobAsync(w, Stage.Invoiced)}/charge", Staff, s))),
        new("GET /api/workshop/vehicles/{vin}/maintenance", new(Staff, Isolation.NamedObject, async (w, s) =>
        {
            // Serviced in tenant A's workshop: A knows the vehicle from its job, B knows nothing of it.
            var job = await JobAsync(w, Stage.Completed);
            var vin = (await OkAsync(w, HttpMethod.Get, $"/api/workshop/jobs/{job}")).GetProperty("vehicleId").GetString();
            return await w.RequestAsync(HttpMethod.Get, $"/api/workshop/vehicles/{vin}/maintenance", Staff, s);
        })),
        new("POST /api/workshop/jobs/{id}/clock", new(Staff, Isolation.NamedObject, async (w, s) =>
        {
            var job = await JobAsync(w, Stage.Approved);
            var technician = (await OkAsync(w, HttpMethod.Get, $"/api/workshop/jobs/{job}")).GetProperty("technicianId").GetString();
            return await w.RequestAsync(HttpMethod.Post, $"/api/workshop/jobs/{job}/clock", Staff, s, new { technicianId = technician, action = "On" });
        })),
        new("GET /api/workshop/board", new(Staff, Isolation.Collection, async (w, s) =>
        {
            await BookingAsync(w);
            return await w.RequestAsync(HttpMethod.Get, $"/api/workshop/board?day={BookingDay:yyyy-MM-dd}", Staff, s);
        }, _ => "iso-ws-bay")),
        new("PUT /api/workshop/parts/{location}/{sku}", new(Staff, Isolation.Separate, (w, s) => w.RequestAsync(HttpMethod.Put, $"/api/workshop/parts/{Location}/iso-filter", Staff, s, Part(10)))),
        new("GET /api/workshop/parts/{location}/{sku}", new(Staff, Isolation.NamedObject, async (w, s) =>
        {
            await EnsurePadsAsync(w);
            return await w.RequestAsync(HttpMethod.Get, $"/api/workshop/parts/{Location}/{Sku}", Staff, s);
        })),
        new("GET /api/workshop/parts/reorder-suggestions", new(Staff, Isolation.Collection, async (w, s) =>
        {
            // None in stock at a reorder level of 1: tenant A's list always suggests ordering it.
            await OkAsync(w, HttpMethod.Put, $"/api/workshop/parts/{Location}/iso-reorder", Part(0));
            return await w.RequestAsync(HttpMethod.Get, $"/api/workshop/parts/reorder-suggestions?location={Location}", Staff, s);
        }, _ => "iso-reorder")),
    ];

    /// <summary>One labour hour at 100.00 EUR, 19 % (the default Workshop:Country, DE).</summary>
    private const decimal Gross = 119.00m;

    private enum Stage
    {
        CheckedIn,
        Inspecting,
        Estimated,
        Approved,
        Completed,
        Invoiced,
    }

    /// <summary>Two days ahead (UTC midnight): every isolation booking is on that day, so the board case finds them.</summary>
    private static DateTimeOffset BookingDay => new(DateTime.UtcNow.Date.AddDays(2), TimeSpan.Zero);

    private static object Bay() => new { name = "Iso bay", location = Location };

    /// <summary>On every day, all day, so a booking at any future hour finds them on shift.</summary>
    private static object Technician() => new
    {
        name = "Iso technician",
        skills = new[] { "service" },
        shifts = WeekDays.Select(day => new { day, start = "00:00:00", end = "23:59:59.9999999" }).ToArray(),
    };

    private static object Part(int onHand) => new { description = "Iso part", unitPrice = 10m, currency = "EUR", onHand, reorderLevel = 1 };

    private static object CheckIn() => new { odometerKm = 1000, fuelLevelPercent = 50 };

    private static object Estimate() => new
    {
        lines = new object[] { new { id = "labour", kind = "Labour", description = "Iso service", quantity = 1m, unitPrice = 100m } },
    };

    /// <summary>A slot of its own: a fresh bay at an hour two days ahead, with a fresh technician on shift then.</summary>
    private static object Booking(IsolationWorld world, string bay)
    {
        var start = BookingDay.AddHours(world.NextNumber() % 24);
        return new { customerId = "iso-ws-owner", vehicleId = IsolationWorld.Vin, bayId = bay, skill = "service", start, hours = 1 };
    }

    private static async Task<string> FreshBayAndTechnicianAsync(IsolationWorld world)
    {
        var bay = world.NextId("iso-ws-bay");
        await OkAsync(world, HttpMethod.Put, $"/api/workshop/bays/{bay}", Bay());
        await OkAsync(world, HttpMethod.Put, $"/api/workshop/technicians/{world.NextId("iso-ws-tech")}", Technician());
        return bay;
    }

    private static async Task EnsurePadsAsync(IsolationWorld world) => await OkAsync(world, HttpMethod.Put, $"/api/workshop/parts/{Location}/{Sku}", Part(1_000_000));

    private static async Task<string> BookingAsync(IsolationWorld world)
    {
        var bay = await FreshBayAndTechnicianAsync(world);
        return (await OkAsync(world, HttpMethod.Post, "/api/workshop/bookings", Booking(world, bay))).GetProperty("id").GetString()!;
    }

    private static async Task<string> JobAsync(IsolationWorld world, Stage stage)
    {
        var job = (await OkAsync(world, HttpMethod.Post, $"/api/workshop/bookings/{await BookingAsync(world)}/check-in", CheckIn())).GetProperty("id").GetString()!;
        if (stage >= Stage.Inspecting)
        {
            await OkAsync(world, HttpMethod.Post, $"/api/workshop/jobs/{job}/status", new { status = "Inspecting" });
        }

        if (stage >= Stage.Estimated)
        {
            await OkAsync(world, HttpMethod.Put, $"/api/workshop/jobs/{job}/estimate", Estimate());
        }

        if (stage >= Stage.Approved)
        {
            var link = (await OkAsync(world, HttpMethod.Post, $"/api/workshop/jobs/{job}/approval-links")).GetProperty("url").GetString()!;
            using var decide = new HttpRequestMessage(HttpMethod.Post, link) { Content = System.Net.Http.Json.JsonContent.Create(new { decisions = new[] { new { lineId = "labour", approved = true } } }) };
            using var decided = await world.SendAsync(decide);
            Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        }

        if (stage >= Stage.Completed)
        {
            await OkAsync(world, HttpMethod.Post, $"/api/workshop/jobs/{job}/status", new { status = "Completed" });
        }

        if (stage >= Stage.Invoiced)
        {
            await OkAsync(world, HttpMethod.Post, $"/api/workshop/jobs/{job}/invoice");
        }

        return job;
    }

    private static async Task<JsonElement> OkAsync(IsolationWorld world, HttpMethod method, string path, object? body = null)
    {
        using var request = await world.RequestAsync(method, path, Staff, Side.Own, body);
        using var response = await world.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path} as tenant A's {Staff}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
