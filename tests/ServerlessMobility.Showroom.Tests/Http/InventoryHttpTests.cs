using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Showroom.Inventory;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>The inventory routes through the local host's real pipeline, on the real Cosmos server and Azurite.</summary>
public sealed class InventoryHttpTests(PlatformEmulators emulators)
{
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Add_IsIdempotentByKey_ADuplicateVinIsAConflict_AndBadInputIsAProblem()
    {
        await using var host = ShowroomHost.Start(emulators);
        var vin = ShowroomHost.NewVin();
        void Key(HttpRequestMessage r) => r.Headers.Add("Idempotency-Key", $"add-{vin}");

        var (status, first, response) = await host.SendAsync(HttpMethod.Post, "/api/showroom/inventory", host.Staff, ShowroomHost.Vehicle(vin.ToLowerInvariant()), Key);
        Assert.True(status == HttpStatusCode.Created, first.ToString());
        Assert.Equal($"/api/showroom/inventory/{vin}", response.Headers.Location?.OriginalString);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal(vin, first.GetProperty("vin").GetString());
        Assert.Equal("Available", first.GetProperty("status").GetString());
        Assert.Equal(42_500m, first.GetProperty("price").GetDecimal());
        Assert.Equal("EUR", first.GetProperty("currency").GetString());
        response.Dispose();

        // The retry with the same key gets the stored answer; without a key the same VIN again is a conflict.
        (status, var replay, response) = await host.SendAsync(HttpMethod.Post, "/api/showroom/inventory", host.Staff, ShowroomHost.Vehicle(vin.ToLowerInvariant()), Key);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("true", response.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.GetProperty("addedAt").GetString(), replay.GetProperty("addedAt").GetString());
        response.Dispose();
        (status, var duplicate, response) = await host.SendAsync(HttpMethod.Post, "/api/showroom/inventory", host.Staff, ShowroomHost.Vehicle(vin));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        response.Dispose();

        // Every bad field is named in one 400; a model year not out yet is a business rule (422), not a malformed request.
        (status, var invalid, response) = await host.SendAsync(HttpMethod.Post, "/api/showroom/inventory", host.Staff,
            new { vin = "SHORT", make = " ", model = "X", year = 2024, fuel = "Petrol", colour = "Red", mileageKm = -1, price = 10.001m, currency = "eur", location = new { lat = 91, lon = 0 } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        var errors = invalid.GetProperty("errors");
        foreach (var field in new[] { "vin", "make", "mileageKm", "currency", "location" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"{field} not named: {invalid}");
        }

        response.Dispose();
        (status, var future, response) = await host.SendAsync(HttpMethod.Post, "/api/showroom/inventory", host.Staff, ShowroomHost.Vehicle(ShowroomHost.NewVin(), year: DateTime.UtcNow.Year + 2));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("showroom-model-year", future.ToString(), StringComparison.Ordinal);
        response.Dispose();
        (status, _, response) = await host.SendAsync(HttpMethod.Post, "/api/showroom/inventory", host.Staff, new { vin = ShowroomHost.NewVin(), fuel = "Steam" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        response.Dispose();

        // Customers read; they do not stock the showroom.
        (status, _, response) = await host.SendAsync(HttpMethod.Post, "/api/showroom/inventory", host.Customer, ShowroomHost.Vehicle(ShowroomHost.NewVin()));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        response.Dispose();
    }

    [Fact]
    public async Task Customers_SeeOnlyAvailableStock_StaffSeeAll()
    {
        await using var host = ShowroomHost.Start(emulators);
        var available = ShowroomHost.NewVin();
        var demo = ShowroomHost.NewVin();
        var reserved = ShowroomHost.NewVin();
        await host.AddAsync(ShowroomHost.Vehicle(available));
        await host.AddAsync(ShowroomHost.Vehicle(demo, status: "Demo"));
        await host.AddAsync(ShowroomHost.Vehicle(reserved));
        await host.OkAsync(HttpMethod.Post, $"/api/showroom/inventory/{reserved}/status", host.Staff, new { status = "Reserved", leadId = "lead-1" });

        var customerList = await host.OkAsync(HttpMethod.Get, "/api/showroom/inventory?status=Demo", host.Customer);
        Assert.Equal([available], customerList.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("vin").GetString()));
        Assert.Equal(1, customerList.GetProperty("total").GetInt32());
        var staffList = await host.OkAsync(HttpMethod.Get, "/api/showroom/inventory", host.Staff);
        Assert.Equal(3, staffList.GetProperty("total").GetInt32());
        var staffReserved = await host.OkAsync(HttpMethod.Get, "/api/showroom/inventory?status=Reserved", host.Staff);
        Assert.Equal("lead-1", staffReserved.GetProperty("items")[0].GetProperty("reservation").GetProperty("leadId").GetString());

        var (status, _, response) = await host.SendAsync(HttpMethod.Get, $"/api/showroom/inventory/{demo}", host.Customer);
        Assert.Equal(HttpStatusCode.NotFound, status);
        response.Dispose();
        var seen = await host.OkAsync(HttpMethod.Get, $"/api/showroom/inventory/{available}", host.Customer);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("reservation").ValueKind);
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("history").ValueKind);
    }

    [Fact]
    public async Task Update_NeedsTheCurrentETag_AStaleOneIsAConflict()
    {
        await using var host = ShowroomHost.Start(emulators);
        var vin = ShowroomHost.NewVin();
        await host.AddAsync(ShowroomHost.Vehicle(vin));
        var (_, _, read) = await host.SendAsync(HttpMethod.Get, $"/api/showroom/inventory/{vin}", host.Staff);
        var eTag = read.Headers.ETag!.ToString();
        read.Dispose();
        var cheaper = ShowroomHost.Vehicle(vin, price: 39_900m, description: "Price cut.");

        var (status, body, response) = await host.SendAsync(HttpMethod.Put, $"/api/showroom/inventory/{vin}", host.Staff, cheaper);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("If-Match", out _), body.ToString());
        response.Dispose();

        (status, body, response) = await host.SendAsync(HttpMethod.Put, $"/api/showroom/inventory/{vin}", host.Staff, cheaper, r => r.Headers.TryAddWithoutValidation("If-Match", eTag));
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal(39_900m, body.GetProperty("price").GetDecimal());
        Assert.Equal(2, body.GetProperty("version").GetInt64());
        Assert.NotEqual(eTag, response.Headers.ETag?.ToString());
        response.Dispose();

        // A second editor still holding the first version loses instead of overwriting.
        (status, _, response) = await host.SendAsync(HttpMethod.Put, $"/api/showroom/inventory/{vin}", host.Staff, ShowroomHost.Vehicle(vin, price: 41_000m),
            r => r.Headers.TryAddWithoutValidation("If-Match", eTag));
        Assert.Equal(HttpStatusCode.Conflict, status);
        response.Dispose();
        Assert.Equal(39_900m, (await host.OkAsync(HttpMethod.Get, $"/api/showroom/inventory/{vin}", host.Staff)).GetProperty("price").GetDecimal());
    }

    [Fact]
    public async Task Status_FollowsTheLifecycle_AndOfTwoLeadsRacingForOneCarExactlyOneGetsIt()
    {
        await using var host = ShowroomHost.Start(emulators);
        var vin = ShowroomHost.NewVin();
        await host.AddAsync(ShowroomHost.Vehicle(vin));

        var race = await Task.WhenAll(Enumerable.Range(1, 4).Select(async i =>
        {
            var (status, body, response) = await host.SendAsync(HttpMethod.Post, $"/api/showroom/inventory/{vin}/status", host.Staff, new { status = "Reserved", leadId = $"lead-{i}" });
            response.Dispose();
            return (status, body);
        }));
        Assert.Single(race, r => r.status == HttpStatusCode.OK);
        Assert.Equal(3, race.Count(r => r.status == HttpStatusCode.Conflict));
        var winner = race.Single(r => r.status == HttpStatusCode.OK).body.GetProperty("reservation").GetProperty("leadId").GetString();
        var stored = await host.OkAsync(HttpMethod.Get, $"/api/showroom/inventory/{vin}", host.Staff);
        Assert.Equal(winner, stored.GetProperty("reservation").GetProperty("leadId").GetString());
        Assert.Single(stored.GetProperty("history").EnumerateArray());

        // Reserved cannot become a demo car; it is sold, and sold is final.
        var (refused, _, response) = await host.SendAsync(HttpMethod.Post, $"/api/showroom/inventory/{vin}/status", host.Staff, new { status = "Demo" });
        Assert.Equal(HttpStatusCode.Conflict, refused);
        response.Dispose();
        await host.OkAsync(HttpMethod.Post, $"/api/showroom/inventory/{vin}/status", host.Staff, new { status = "Sold", saleId = "sale-1" });
        (refused, _, response) = await host.SendAsync(HttpMethod.Post, $"/api/showroom/inventory/{vin}/status", host.Staff, new { status = "Available" });
        Assert.Equal(HttpStatusCode.Conflict, refused);
        response.Dispose();
        (refused, var missingHolder, response) = await host.SendAsync(HttpMethod.Post, $"/api/showroom/inventory/{ShowroomHost.NewVin()}/status", host.Staff, new { status = "Reserved", leadId = "bad id!" });
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.True(missingHolder.GetProperty("errors").TryGetProperty("leadId", out _));
        response.Dispose();
    }

    /// <summary>The contract lead conversion relies on: one lead wins, a retry is harmless, the others and a sold car fail clearly.</summary>
    [Fact]
    public async Task InventoryReservations_ReserveForOneLead_AndFailClearlyOtherwise()
    {
        await using var host = ShowroomHost.Start(emulators);
        var vin = ShowroomHost.NewVin();
        var sold = ShowroomHost.NewVin();
        await host.AddAsync(ShowroomHost.Vehicle(vin));
        await host.AddAsync(ShowroomHost.Vehicle(sold));
        await host.OkAsync(HttpMethod.Post, $"/api/showroom/inventory/{sold}/status", host.Staff, new { status = "Sold", saleId = "sale-1" });
        var reservations = host.Factory.Services.GetRequiredService<InventoryReservations>();

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 3).Select(async i =>
        {
            try
            {
                return (Lead: $"lead-{i}", Vehicle: await reservations.ReserveForLeadAsync(host.Tenant, vin, $"lead-{i}", "lead-conversion", Ct), Error: (Exception?)null);
            }
            catch (ConflictException e)
            {
                return (Lead: $"lead-{i}", Vehicle: (InventoryVehicle?)null, Error: (Exception?)e);
            }
        }));
        var winner = Assert.Single(outcomes, o => o.Vehicle is not null);
        Assert.Equal(VehicleStatus.Reserved, winner.Vehicle!.Status);
        Assert.Equal(winner.Lead, winner.Vehicle.Reservation!.LeadId);
        Assert.All(outcomes.Where(o => o.Error is not null), o => Assert.Contains($"lead '{winner.Lead}'", o.Error!.Message, StringComparison.Ordinal));

        // The winner asking again changes nothing; a sold car and an unknown VIN fail with their own errors.
        var again = await reservations.ReserveForLeadAsync(host.Tenant, vin, winner.Lead, "lead-conversion", Ct);
        Assert.Equal(winner.Vehicle.Version, again.Version);
        await Assert.ThrowsAsync<ConflictException>(() => reservations.ReserveForLeadAsync(host.Tenant, sold, "lead-9", "lead-conversion", Ct));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => reservations.ReserveForLeadAsync(host.Tenant, ShowroomHost.NewVin(), "lead-9", "lead-conversion", Ct));
        Assert.Equal(winner.Lead, (await host.OkAsync(HttpMethod.Get, $"/api/showroom/inventory/{vin}", host.Staff)).GetProperty("reservation").GetProperty("leadId").GetString());
    }

    [Fact]
    public async Task Photos_AreUploadedThroughASignedLink_AndListedOnceUploaded()
    {
        await using var host = ShowroomHost.Start(emulators);
        var vin = ShowroomHost.NewVin();
        await host.AddAsync(ShowroomHost.Vehicle(vin));

        var slot = await host.OkAsync(HttpMethod.Post, $"/api/showroom/inventory/{vin}/photos", host.Staff, new { fileName = "Front.JPG", contentType = "image/jpeg" });
        var uploadUrl = new Uri(slot.GetProperty("uploadUrl").GetString()!);
        Assert.True(uploadUrl.IsLoopback);
        Assert.Contains($"/{host.Tenant}/{vin}/", uploadUrl.AbsolutePath, StringComparison.Ordinal);

        // Before the upload, the customer sees no photo and staff see a pending slot.
        Assert.Empty((await host.OkAsync(HttpMethod.Get, $"/api/showroom/inventory/{vin}", host.Customer)).GetProperty("photos").EnumerateArray());
        Assert.Equal("Pending", (await host.OkAsync(HttpMethod.Get, $"/api/showroom/inventory/{vin}", host.Staff)).GetProperty("photos")[0].GetProperty("status").GetString());

        using var blobs = new HttpClient();
        using (var put = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = new ByteArrayContent(Jpeg) })
        {
            foreach (var header in slot.GetProperty("headers").EnumerateObject())
            {
                put.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
            }

            put.Content.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            using var uploaded = await blobs.SendAsync(put, Ct);
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        var photo = (await host.OkAsync(HttpMethod.Get, $"/api/showroom/inventory/{vin}", host.Customer)).GetProperty("photos").EnumerateArray().Single();
        Assert.Equal("Uploaded", photo.GetProperty("status").GetString());
        Assert.Equal(Jpeg.Length, photo.GetProperty("size").GetInt64());
        var bytes = await blobs.GetByteArrayAsync(new Uri(photo.GetProperty("url").GetString()!), Ct);
        Assert.Equal(Jpeg, bytes);

        var (status, _, response) = await host.SendAsync(HttpMethod.Post, $"/api/showroom/inventory/{vin}/photos", host.Staff, new { fileName = "front.gif", contentType = "image/gif" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        response.Dispose();
    }
}
