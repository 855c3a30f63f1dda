using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>The live change stream: a client connected to it hears of a write another request made.</summary>
public sealed class InventoryChangesHttpTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectedClients_ReceiveTheirDealershipsChanges_CustomersOnlyOfStockForSale()
    {
        await using var host = ShowroomHost.Start(emulators);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var staff = await ConnectAsync(host, host.Staff, timeout.Token);
        using var customer = await ConnectAsync(host, host.Customer, timeout.Token);
        var otherTenant = $"sr-other-{Guid.NewGuid():N}"[..20];
        using var other = await ConnectAsync(host, host.TokenFor(otherTenant, "staff-9", "dealer-staff"), timeout.Token);

        // A demo car only staff hear of, then a car for sale everyone of the dealership hears of, then its reservation.
        var demo = ShowroomHost.NewVin();
        var vin = ShowroomHost.NewVin();
        await host.AddAsync(ShowroomHost.Vehicle(demo, status: "Demo"));
        await host.AddAsync(ShowroomHost.Vehicle(vin, "Audi", "A4"));
        await host.OkAsync(HttpMethod.Post, $"/api/showroom/inventory/{vin}/status", host.Staff, new { status = "Reserved", leadId = "lead-3" });

        var staffEvents = new[] { await NextAsync(staff, timeout.Token), await NextAsync(staff, timeout.Token), await NextAsync(staff, timeout.Token) };
        Assert.Equal([("Added", demo), ("Added", vin), ("StatusChanged", vin)], staffEvents.Select(e => (e.Kind, e.Vin)));
        Assert.Equal("lead-3", staffEvents[2].Data.GetProperty("vehicle").GetProperty("reservation").GetProperty("leadId").GetString());

        var added = await NextAsync(customer, timeout.Token);
        Assert.Equal(("Added", vin), (added.Kind, added.Vin));
        Assert.Equal("Audi", added.Data.GetProperty("vehicle").GetProperty("make").GetString());
        var withdrawn = await NextAsync(customer, timeout.Token);
        Assert.Equal(("StatusChanged", vin), (withdrawn.Kind, withdrawn.Vin));
        Assert.Equal("Reserved", withdrawn.Data.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, withdrawn.Data.GetProperty("vehicle").ValueKind);

        // Another dealership's client heard nothing of this one: its next event is its own.
        var own = ShowroomHost.NewVin();
        await host.OkAsync(HttpMethod.Post, "/api/showroom/inventory", host.TokenFor(otherTenant, "staff-9", "dealer-staff"), ShowroomHost.Vehicle(own));
        Assert.Equal(own, (await NextAsync(other, timeout.Token)).Vin);
    }

    /// <summary>Connects and waits for the ready event, after which no change is missed.</summary>
    private static async Task<ServerSentEventsReader> ConnectAsync(ShowroomHost host, string token, CancellationToken cancellationToken)
    {
        var reader = await ServerSentEventsReader.ConnectAsync(host.Client, "/api/showroom/inventory/changes", token, cancellationToken);
        var (name, data) = await reader.NextAsync(cancellationToken);
        Assert.Equal("ready", name);
        Assert.Equal("Connected", data.GetProperty("kind").GetString());
        return reader;
    }

    private static async Task<(string Kind, string? Vin, JsonElement Data)> NextAsync(ServerSentEventsReader reader, CancellationToken cancellationToken)
    {
        var (name, data) = await reader.NextAsync(cancellationToken);
        Assert.Equal("change", name);
        return (data.GetProperty("kind").GetString()!, data.GetProperty("vin").GetString(), data);
    }
}
