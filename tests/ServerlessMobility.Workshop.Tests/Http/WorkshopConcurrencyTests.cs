using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Testing;
using ServerlessMobility.Workshop.Parts;
using ServerlessMobility.Workshop.Storage;

namespace ServerlessMobility.Workshop.Tests.Http;

/// <summary>Races on the real Cosmos server: the same slot booked twice at once, and more reservations than stock at once.</summary>
public class WorkshopConcurrencyTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task Book_SameBayAndSlotConcurrently_One201AndOne409()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync(technicians: 2);
        var body = new { customerId = "owner-race", vehicleId = "WVWZZZ1JZXW000001", bayId = "bay-1", skill = "service", start = WorkshopHost.TuesdayEight, hours = 2 };

        for (var round = 0; round < 3; round++)
        {
            var start = WorkshopHost.TuesdayEight.AddHours(2 * round);
            var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => host.SendAsync(HttpMethod.Post, "/api/workshop/bookings", host.Staff, body with { start = start })));
            var statuses = responses.Select(r => r.StatusCode).Order().ToList();
            foreach (var response in responses)
            {
                response.Dispose();
            }

            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], statuses);
        }

        // The loser left nothing booked: the second technician is still free for another bay at the first slot.
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/api/workshop/bays/bay-2", host.Staff, new { name = "Bay 2", location = "main" });
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/workshop/bookings", host.Staff, body with { bayId = "bay-2" });

        // Both technicians are now booked at that time: a third bay finds nobody.
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/api/workshop/bays/bay-3", host.Staff, new { name = "Bay 3", location = "main" });
        await host.ExpectAsync(HttpStatusCode.Conflict, HttpMethod.Post, "/api/workshop/bookings", host.Staff, body with { bayId = "bay-3" });
    }

    [Fact]
    public async Task Reserve_TwentyJobsRaceForFivePads_FiveHeldAndStockNeverNegative()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync(pads: 5);
        var stock = host.Factory.Services.GetRequiredService<ITenantRepository<PartStock>>();
        var id = PartStock.IdFor("main", "PAD-1");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            try
            {
                await stock.UpdateAsync(host.Tenant, id, s => s.Reserve($"job-{i}", 1, host.Time.GetUtcNow()), "Part", TestContext.Current.CancellationToken);
                return true;
            }
            catch (ConflictException)
            {
                return false;
            }
        }));

        Assert.Equal(5, attempts.Count(held => held));
        var stored = (await stock.GetAsync(host.Tenant, id, TestContext.Current.CancellationToken))!.Value;
        Assert.Equal((5, 5, 0), (stored.OnHand, stored.Reserved, stored.Available));
        Assert.Equal(5, stored.Reservations.Select(r => r.JobId).Distinct().Count());
    }

    [Fact]
    public async Task ReserveParts_TwoApprovedJobsRaceForThreePads_OneReservesAndTheOtherWaitsBlocked()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync(technicians: 2, pads: 3, "bay-1", "bay-2");
        var first = await host.DriveToApprovedAsync("bay-1", WorkshopHost.TuesdayEight);
        var second = await host.DriveToApprovedAsync("bay-2", WorkshopHost.TuesdayEight);

        var responses = await Task.WhenAll(new[] { first.JobId, second.JobId }.Select(job =>
            host.SendAsync(HttpMethod.Post, $"/api/workshop/jobs/{job}/part-reservations", host.Staff)));
        var statuses = new List<string>();
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            statuses.Add(body.RootElement.GetProperty("status").GetString()!);
            response.Dispose();
        }

        Assert.Equal(["Blocked", "InProgress"], statuses.Order(StringComparer.Ordinal));
        var pads = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, "/api/workshop/parts/main/PAD-1", host.Staff);
        Assert.Equal((3, 2, 1), (pads.GetProperty("onHand").GetInt32(), pads.GetProperty("reserved").GetInt32(), pads.GetProperty("available").GetInt32()));
    }
}
