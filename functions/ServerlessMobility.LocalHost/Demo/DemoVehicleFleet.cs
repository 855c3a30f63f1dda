using Microsoft.Extensions.Options;
using ServerlessMobility.Telemetry;
using ServerlessMobility.LocalHost.Broker;
using ServerlessMobility.LocalHost.Telemetry;
using ServerlessMobility.VehicleSimulation;

namespace ServerlessMobility.LocalHost.Demo;

/// <summary>
/// The demo vehicles, driven in-process through the embedded broker exactly as external vehicles
/// would connect (IoT Hub topic conventions and device credentials), so a fresh local run has live telemetry, risk events
/// and a vehicle that answers over-the-air commands without starting the simulator separately.
/// </summary>
public sealed partial class DemoVehicleFleet(
    IOptions<DemoOptions> demoOptions,
    IOptions<MqttBrokerOptions> brokerOptions,
    MqttBroker broker,
    LocalDeviceIdentityRegistry identities,
    TimeProvider time,
    ILogger<DemoVehicleFleet> logger) : BackgroundService
{
    private readonly List<(SimulatedVehicle Vehicle, RouteDriver Driver)> _fleet = [];

    /// <summary>
    /// The firmware each demo vehicle reports, in the order of <see cref="TelemetryDemoDataSeeder.DemoVins"/>: the
    /// first (owned by demo-customer) carries every demo feature but the performance mode (3.0), so the purchase in
    /// docs/flows/feature-activation.md goes through; the second is too old for any (the 422), the third has all.
    /// </summary>
    public static IReadOnlyList<string> DemoFirmware { get; } = ["2.6.0", "1.0.0", "3.1.0"];

    /// <summary>
    /// The speed of each demo vehicle: the first two drive, the third stands parked (speed 0), so the rent-to-own
    /// walkthrough (docs/flows/rent-to-own.md) sees a defaulted plan's vehicle immobilized.
    /// </summary>
    public static IReadOnlyList<double> DemoSpeedsKmh { get; } = [40, 55, 0];

    /// <summary>The connected demo vehicles (tests change their method behaviour through this).</summary>
    public IReadOnlyList<SimulatedVehicle> Vehicles => [.. _fleet.Select(v => v.Vehicle)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = demoOptions.Value;
        if (!demo.Seed || !demo.DriveVehicles || !brokerOptions.Value.Enabled)
        {
            return;
        }

        var vins = TelemetryDemoDataSeeder.DemoVins;
        try
        {
            for (var i = 0; i < vins.Count; i++)
            {
                // In-process, so it reads its demo vehicles' keys from the local identity store (created on first
                // start, encrypted at rest); external vehicles get theirs from POST /api/vehicles.
                var device = await identities.GetOrCreateForDemoAsync(vins[i], stoppingToken);
                var vehicle = new SimulatedVehicle(IoTHubConnection.Local(device.DeviceId, device.PrimaryKey, broker.Port, time, device.HostName, tokenLifetime: TimeSpan.FromDays(365)));
                var driver = new RouteDriver(RouteDriver.Loop(new GeoPoint(48.137 + (i * 0.01), 11.575), 2_000 + (i * 500)), DemoSpeedsKmh[i % DemoSpeedsKmh.Count])
                {
                    FirmwareVersion = DemoFirmware[i % DemoFirmware.Count],
                };
                _fleet.Add((vehicle, driver));
                await vehicle.ConnectAsync(stoppingToken);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Demo comfort only: a broker problem must not take the host down; /api/health reports the broker.
            LogCannotConnect(logger, ex);
            return;
        }

        LogDriving(logger, _fleet.Count, demo.DriveInterval.TotalSeconds);
        using var timer = new PeriodicTimer(demo.DriveInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = time.GetUtcNow();
            // A fresh id per message: the counter-based default restarts with the process and would
            // look like replays of the previous run to the pipeline's duplicate check.
            await Task.WhenAll(_fleet.Select(v => v.Vehicle.SendAsync(v.Driver.Next(demo.DriveInterval, now), Guid.NewGuid().ToString("N"), stoppingToken)));
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var (vehicle, _) in _fleet)
        {
            await vehicle.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The demo vehicles could not connect to the embedded broker; no demo telemetry.")]
    private static partial void LogCannotConnect(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Driving {Count} demo vehicles, one reading every {Seconds} s each.")]
    private static partial void LogDriving(ILogger logger, int count, double seconds);
}
