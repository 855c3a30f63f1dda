using System.Net;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Workshop.Tests.Http;

/// <summary>
/// Parts short at reservation: the job blocks naming them, the reorder suggestions count what it waits for, and the
/// stock count that brings them in reserves them and puts the job back to work, over HTTP on the real emulators.
/// </summary>
public class WaitingForPartsTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task ShortStock_JobBlocked_StockCounted_ReservedAndBackInProgress()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync(pads: 1);
        var (jobId, _, _) = await host.DriveToApprovedAsync("bay-1", WorkshopHost.TuesdayEight);

        // Two pads approved, one in stock: the job waits, and the answer says for what and what to order.
        host.Time.Advance(TimeSpan.FromMinutes(10));
        var blocked = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/part-reservations", host.Staff);
        Assert.Equal("Blocked", blocked.GetProperty("status").GetString());
        Assert.Empty(blocked.GetProperty("parts").EnumerateArray());
        var missing = Assert.Single(blocked.GetProperty("missingParts").EnumerateArray());
        Assert.Equal(("PAD-1", "main", 2, 1), (missing.GetProperty("sku").GetString(), missing.GetProperty("location").GetString(),
            missing.GetProperty("quantity").GetInt32(), missing.GetProperty("available").GetInt32()));
        Assert.Equal(3, missing.GetProperty("suggestion").GetProperty("quantity").GetInt32());
        var history = blocked.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal("waiting for parts: PAD-1 at main (2 needed, 1 available)", history[^1].GetProperty("reason").GetString());

        // Asking again while still short changes nothing.
        var again = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/part-reservations", host.Staff);
        Assert.Equal(("Blocked", history.Count), (again.GetProperty("status").GetString(), again.GetProperty("history").GetArrayLength()));

        // The purchase-order list counts the blocked job's need: 2 needed - 1 available, plus twice the level of 1.
        var suggestions = (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/workshop/parts/reorder-suggestions", host.Staff)).GetProperty("suggestions");
        var pads = Assert.Single(suggestions.EnumerateArray());
        Assert.Equal(("PAD-1", 2, 3), (pads.GetProperty("sku").GetString(), pads.GetProperty("waitingDemand").GetInt32(), pads.GetProperty("quantity").GetInt32()));
        Assert.Equal(pads.GetRawText(), Assert.Single((await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get,
            "/api/workshop/parts/reorder-suggestions?location=main", host.Staff)).GetProperty("suggestions").EnumerateArray()).GetRawText());
        Assert.Empty((await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/workshop/parts/reorder-suggestions?location=annex", host.Staff))
            .GetProperty("suggestions").EnumerateArray());
        await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/workshop/parts/reorder-suggestions?location=not%20an%20id", host.Staff);
        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, "/api/workshop/parts/reorder-suggestions", host.Token("owner-x", "customer"));

        // The delivery is counted in: the waiting job gets its pads and goes back to work by itself.
        host.Time.Advance(TimeSpan.FromHours(2));
        var counted = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/api/workshop/parts/main/PAD-1", host.Staff,
            new { description = "Brake pads", unitPrice = 45.50m, currency = "EUR", onHand = 4, reorderLevel = 1 });
        Assert.Equal((4, 2, 2), (counted.GetProperty("onHand").GetInt32(), counted.GetProperty("reserved").GetInt32(), counted.GetProperty("available").GetInt32()));
        Assert.Equal(jobId, Assert.Single(counted.GetProperty("reservations").EnumerateArray()).GetProperty("jobId").GetString());

        var job = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/jobs/{jobId}", host.Staff);
        Assert.Equal("InProgress", job.GetProperty("status").GetString());
        Assert.Empty(job.GetProperty("missingParts").EnumerateArray());
        Assert.Equal("PAD-1", Assert.Single(job.GetProperty("parts").EnumerateArray()).GetProperty("sku").GetString());
        var resumed = job.GetProperty("history").EnumerateArray().Last();
        Assert.Equal(("Blocked", "parts reserved: PAD-1 at main", WorkshopHost.FakeClockStart.AddMinutes(130)), (resumed.GetProperty("from").GetString(),
            resumed.GetProperty("reason").GetString(), resumed.GetProperty("at").GetDateTimeOffset()));
        Assert.Empty((await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/workshop/parts/reorder-suggestions", host.Staff)).GetProperty("suggestions").EnumerateArray());

        var completed = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/status", host.Staff, new { status = "Completed" });
        Assert.Equal("Completed", completed.GetProperty("status").GetString());
    }

    [Fact]
    public async Task PartNeverCounted_JobWaitsForAllOfIt_AndTheFirstCountReleasesIt()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync();
        var jobId = await DriveToApprovedWithDiscsAsync(host);

        var blocked = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/part-reservations", host.Staff);
        Assert.Equal("Blocked", blocked.GetProperty("status").GetString());
        Assert.Equal(["PAD-1"], blocked.GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("sku").GetString()));
        var missing = Assert.Single(blocked.GetProperty("missingParts").EnumerateArray());
        Assert.Equal(("DSC-1", 0, 2), (missing.GetProperty("sku").GetString(), missing.GetProperty("available").GetInt32(),
            missing.GetProperty("suggestion").GetProperty("quantity").GetInt32()));
        var discs = (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/workshop/parts/reorder-suggestions", host.Staff)).GetProperty("suggestions")
            .EnumerateArray().Single(s => s.GetProperty("sku").GetString() == "DSC-1");
        Assert.Equal((JsonValueKind.Null, 2), (discs.GetProperty("description").ValueKind, discs.GetProperty("quantity").GetInt32()));

        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/api/workshop/parts/main/DSC-1", host.Staff,
            new { description = "Brake discs", unitPrice = 90m, currency = "EUR", onHand = 2, reorderLevel = 0 });

        var job = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/jobs/{jobId}", host.Staff);
        Assert.Equal("InProgress", job.GetProperty("status").GetString());
        Assert.Equal(["DSC-1", "PAD-1"], job.GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("sku").GetString()!).Order(StringComparer.Ordinal));
    }

    /// <summary>Pads (in stock) and discs (never counted) approved.</summary>
    private static async Task<string> DriveToApprovedWithDiscsAsync(WorkshopHost host)
    {
        var owner = host.Token("owner-discs", "customer");
        var booking = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/workshop/bookings", owner,
            new { customerId = "owner-discs", vehicleId = "WVWZZZ1JZXW000001", bayId = "bay-1", skill = "service", start = WorkshopHost.TuesdayEight, hours = 2 });
        var job = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/workshop/bookings/{booking.GetProperty("id").GetString()}/check-in", host.Staff,
            new { odometerKm = 42_000, fuelLevelPercent = 60 });
        var jobId = job.GetProperty("id").GetString()!;
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/status", host.Staff, new { status = "Inspecting" });
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/workshop/jobs/{jobId}/estimate", host.Staff, new
        {
            lines = new object[]
            {
                new { id = "pads", kind = "Part", description = "Brake pads", quantity = 2, unitPrice = 45.50m, sku = "PAD-1", location = "main" },
                new { id = "discs", kind = "Part", description = "Brake discs", quantity = 2, unitPrice = 90m, sku = "DSC-1", location = "main" },
            },
        });
        var link = (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/approval-links", host.Staff)).GetProperty("url").GetString()!;
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, link, null,
            new { decisions = new object[] { new { lineId = "pads", approved = true }, new { lineId = "discs", approved = true } } });
        return jobId;
    }
}
