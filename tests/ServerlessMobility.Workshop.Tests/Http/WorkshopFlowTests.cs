using System.Net;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Workshop.Tests.Http;

/// <summary>
/// Issue 21's end-to-end flow over HTTP through the real pipeline on the real Azurite and Cosmos server: booking,
/// check-in, estimate, approval by signed link with one line declined, parts reserved and consumed, invoice, payment.
/// </summary>
public class WorkshopFlowTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BookingToPayment_OwnerDeclinesTheWipers_OnlyApprovedWorkIsDoneAndInvoiced()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync();
        var owner = host.Token("owner-flow", "customer");

        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, "/api/workshop/bookings", owner,
            new { customerId = "someone-else", vehicleId = "WVWZZZ1JZXW000001", bayId = "bay-1", skill = "service", start = WorkshopHost.TuesdayEight, hours = 2 });
        var booking = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/workshop/bookings", owner,
            new { customerId = "owner-flow", vehicleId = "WVWZZZ1JZXW000001", bayId = "bay-1", skill = "service", start = WorkshopHost.TuesdayEight, hours = 2 });
        Assert.Equal("owner-flow", booking.GetProperty("customerId").GetString());
        Assert.Equal("tech-1", booking.GetProperty("technicianId").GetString());
        var bookingId = booking.GetProperty("id").GetString()!;

        var job = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/workshop/bookings/{bookingId}/check-in", host.Staff,
            new { odometerKm = 42_000, fuelLevelPercent = 60, photos = new[] { "front.jpg" } });
        var jobId = job.GetProperty("id").GetString()!;
        Assert.Equal("CheckedIn", job.GetProperty("status").GetString());
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/workshop/bookings/{bookingId}/check-in", host.Staff, new { odometerKm = 1, fuelLevelPercent = 1 });

        // The lifecycle refuses a shortcut: no estimate before the inspection.
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Put, $"/api/workshop/jobs/{jobId}/estimate", host.Staff, WorkshopHost.Estimate());
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/status", host.Staff, new { status = "Inspecting" });
        var estimate = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/workshop/jobs/{jobId}/estimate", host.Staff, WorkshopHost.Estimate());
        var hash = estimate.GetProperty("hash").GetString()!;

        var linkResponse = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/approval-links", host.Staff);
        var link = linkResponse.GetProperty("url").GetString()!;
        Assert.Equal(hash, linkResponse.GetProperty("estimateHash").GetString());
        Assert.Equal(WorkshopHost.FakeClockStart.AddDays(3), linkResponse.GetProperty("expiresAt").GetDateTimeOffset());

        // The owner opens the link without signing in and sees the estimate line by line with the check-in photos.
        var shown = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, link, token: null);
        Assert.Equal(["labour", "pads", "wipers"], shown.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("id").GetString()));
        Assert.Equal(["front.jpg"], shown.GetProperty("photos").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(hash, shown.GetProperty("estimateHash").GetString());

        // A link whose signature was altered opens nothing.
        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, link.Replace("&v=1", "&v=2", StringComparison.Ordinal), null, WorkshopHost.WipersDeclined());

        host.Time.Advance(TimeSpan.FromHours(5));
        var decided = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, link, null, WorkshopHost.WipersDeclined());
        var decision = decided.GetProperty("decision");
        Assert.Equal(hash, decision.GetProperty("estimateHash").GetString());
        Assert.Equal(WorkshopHost.FakeClockStart.AddHours(5), decision.GetProperty("decidedAt").GetDateTimeOffset());

        var reserved = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/part-reservations", host.Staff);
        Assert.Equal("InProgress", reserved.GetProperty("status").GetString());
        var parts = reserved.GetProperty("parts").EnumerateArray().ToList();
        Assert.Equal("PAD-1", Assert.Single(parts).GetProperty("sku").GetString());
        var pads = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/workshop/parts/main/PAD-1", host.Staff);
        Assert.Equal((3, 2, 1), (pads.GetProperty("onHand").GetInt32(), pads.GetProperty("reserved").GetInt32(), pads.GetProperty("available").GetInt32()));
        Assert.Equal(1, pads.GetProperty("reorderSuggestion").GetProperty("quantity").GetInt32());

        var board = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/workshop/board?day=2099-01-06", host.Staff);
        var entry = Assert.Single(Assert.Single(board.GetProperty("bays").EnumerateArray()).GetProperty("entries").EnumerateArray());
        Assert.Equal((bookingId, jobId, "InProgress", "owner-flow"),
            (entry.GetProperty("bookingId").GetString(), entry.GetProperty("jobId").GetString(), entry.GetProperty("status").GetString(), entry.GetProperty("customerId").GetString()));
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/workshop/board?day=2099-01-07", host.Staff);

        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/status", host.Staff, new { status = "Blocked", reason = "waiting for a torque wrench" });
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/invoice", host.Staff);
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/status", host.Staff, new { status = "InProgress" });
        var completed = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/status", host.Staff, new { status = "Completed" });
        Assert.True(completed.GetProperty("parts")[0].GetProperty("consumed").GetBoolean());
        pads = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/workshop/parts/main/PAD-1", host.Staff);
        Assert.Equal((1, 0, 1), (pads.GetProperty("onHand").GetInt32(), pads.GetProperty("reserved").GetInt32(), pads.GetProperty("available").GetInt32()));
        var wipers = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/workshop/parts/main/WIP-1", host.Staff);
        Assert.Equal(5, wipers.GetProperty("onHand").GetInt32());

        // Labour 1.5 h x 80 + pads 2 x 45.50 = 211.00 net; Germany's 19 % = 40.09; the declined wipers are not on it.
        var invoiced = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/invoice", host.Staff);
        var invoice = invoiced.GetProperty("invoice");
        Assert.Equal(211.00m, invoice.GetProperty("net").GetProperty("amount").GetDecimal());
        Assert.Equal(40.09m, invoice.GetProperty("tax").GetProperty("amount").GetDecimal());
        Assert.Equal(251.09m, invoice.GetProperty("gross").GetProperty("amount").GetDecimal());
        Assert.Equal(["labour", "pads"], invoice.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("lineId").GetString()));
        using (var pdf = await host.Client.GetAsync(new Uri(invoiced.GetProperty("url").GetString()!), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
            var text = PdfText.Of(await pdf.Content.ReadAsByteArrayAsync(Ct));
            Assert.Contains("251.09", text, StringComparison.Ordinal);
        }

        var again = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/invoice", host.Staff);
        Assert.Equal(invoice.GetProperty("documentSha256").GetString(), again.GetProperty("invoice").GetProperty("documentSha256").GetString());

        await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/payments", owner, new { reference = "card-1", amount = 250m });
        var paid = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/payments", owner, new { reference = "card-1", amount = 251.09m });
        Assert.Equal("Paid", paid.GetProperty("status").GetString());
        Assert.Equal(
            ["Inspecting", "Estimated", "AwaitingApproval", "InProgress", "Blocked", "InProgress", "Completed", "Invoiced", "Paid"],
            paid.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("to").GetString()));

        // Another owner finds nothing of this job.
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/workshop/jobs/{jobId}", host.Token("someone-else", "customer"));
    }

    [Fact]
    public async Task ApprovalLink_AfterItsLifetime_Forbidden()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync();
        var owner = host.Token("owner-expiry", "customer");
        var booking = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/workshop/bookings", owner,
            new { customerId = "owner-expiry", vehicleId = "WVWZZZ1JZXW000001", bayId = "bay-1", skill = "service", start = WorkshopHost.TuesdayEight, hours = 1 });
        var job = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/workshop/bookings/{booking.GetProperty("id").GetString()}/check-in", host.Staff,
            new { odometerKm = 1000, fuelLevelPercent = 10 });
        var jobId = job.GetProperty("id").GetString()!;
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/status", host.Staff, new { status = "Inspecting" });
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/workshop/jobs/{jobId}/estimate", host.Staff, WorkshopHost.Estimate());
        var link = (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/approval-links", host.Staff)).GetProperty("url").GetString()!;

        host.Time.Advance(TimeSpan.FromDays(3) + TimeSpan.FromSeconds(1));

        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, link, null);
        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, link, null, WorkshopHost.WipersDeclined());
        var unchanged = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/jobs/{jobId}", owner);
        Assert.Equal("AwaitingApproval", unchanged.GetProperty("status").GetString());
        Assert.True(!unchanged.TryGetProperty("approval", out var approval) || approval.ValueKind == JsonValueKind.Null, $"No decision is recorded: {approval}");
    }
}
