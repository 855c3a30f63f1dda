using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.Telemetry;
using ServerlessMobility.Testing.Telemetry;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

public class TelemetryVehicleStateReaderTests
{
    private static readonly DateTimeOffset SeenAt = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static async Task<TelemetryVehicleStateReader> ReaderWithAsync(VehicleTelemetryState state)
    {
        var stores = new InMemoryTelemetryStores();
        await stores.SaveAsync(state, TestContext.Current.CancellationToken);
        return new TelemetryVehicleStateReader(new TelemetryVehicleConditions(stores, stores));
    }

    [Fact]
    public async Task GetLatest_OwnTenantsVehicle_ReturnsSpeedAndReadingTime()
    {
        var reader = await ReaderWithAsync(new VehicleTelemetryState { Vin = "WRTO0000000000001", TenantId = "lender-a", HasReading = true, SpeedKmh = 0, LastReadingAt = SeenAt });

        var motion = await reader.GetLatestAsync("lender-a", "wrto0000000000001", TestContext.Current.CancellationToken);

        Assert.Equal(new VehicleMotion(0, SeenAt), motion);
    }

    [Fact]
    public async Task GetLatest_AnotherTenantsVehicle_IsUnknown()
    {
        var reader = await ReaderWithAsync(new VehicleTelemetryState { Vin = "WRTO0000000000001", TenantId = "lender-b", HasReading = true, SpeedKmh = 0, LastReadingAt = SeenAt });

        Assert.Null(await reader.GetLatestAsync("lender-a", "WRTO0000000000001", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task GetLatest_RegisteredButNeverReported_IsUnknown()
    {
        var reader = await ReaderWithAsync(new VehicleTelemetryState { Vin = "WRTO0000000000001", TenantId = "lender-a", HasReading = false });

        Assert.Null(await reader.GetLatestAsync("lender-a", "WRTO0000000000001", TestContext.Current.CancellationToken));
    }
}
