using System.Text;

namespace ServerlessMobility.Telemetry.Tests;

public class TelemetryPipelineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProcessAsync_ValidMessages_UpdatesLatestStateAndAggregate()
    {
        var kit = new PipelineTestKit();
        var batch = new[]
        {
            kit.Message(PipelineTestKit.Body(0, speed: 60, odometer: 1000)),
            kit.Message(PipelineTestKit.Body(60, speed: 90, odometer: 1001.5)),
            kit.Message(PipelineTestKit.Body(120, speed: 30, odometer: 1002)),
        };

        var result = await kit.Pipeline.ProcessAsync(batch, Ct);

        Assert.Equal(new TelemetryBatchResult(3, 0, 0, 0, 1), result);
        var state = await kit.Stores.GetAsync(PipelineTestKit.Vin, Ct);
        Assert.NotNull(state);
        Assert.Equal(1002, state.OdometerKm);
        Assert.Equal(30, state.SpeedKmh);
        Assert.Equal("1.2.3", state.FirmwareVersion);
        var day = Assert.Single(await kit.Stores.QueryAsync(PipelineTestKit.Vin, DateOnly.FromDateTime(PipelineTestKit.T0.UtcDateTime), DateOnly.FromDateTime(PipelineTestKit.T0.UtcDateTime), Ct));
        Assert.Equal(2, day.DistanceKm, 6);
        Assert.Equal(90, day.MaxSpeedKmh);
        Assert.Equal(120, day.DrivingSeconds);
        Assert.Equal(3, day.MessageCount);
        Assert.Equal(3, kit.Stores.ArchivedCount);
    }

    [Fact]
    public async Task ProcessAsync_DuplicateSequenceAndMessageId_ChangeNothing()
    {
        var kit = new PipelineTestKit();
        var first = kit.Message(PipelineTestKit.Body(0, odometer: 1000));
        var second = kit.Message(PipelineTestKit.Body(10, odometer: 1001));
        await kit.Pipeline.ProcessAsync([first, second], Ct);

        // A replay of the same events, and a device-side resend that got a new sequence number.
        var resend = first with { SequenceNumber = 99, Body = Encoding.UTF8.GetBytes("""{"schemaVersion":1,"lat":1,"lon":1,"speedKmh":200,"odometerKm":5000,"timestamp":"2026-11-20T11:00:00Z"}""") };
        var result = await kit.Pipeline.ProcessAsync([first, second, resend], Ct);

        Assert.Equal(3, result.Duplicates);
        Assert.Equal(0, result.Processed);
        var state = await kit.Stores.GetAsync(PipelineTestKit.Vin, Ct);
        Assert.Equal(1001, state!.OdometerKm);
        Assert.Equal(2, kit.Stores.ArchivedCount);
    }

    [Fact]
    public async Task ProcessAsync_DuplicatesAfterRestart_RecognisedFromStoredHighWaterMark()
    {
        var kit = new PipelineTestKit();
        var messages = Enumerable.Range(0, 5).Select(i => kit.Message(PipelineTestKit.Body(i * 10, odometer: 1000 + i))).ToArray();
        await kit.Pipeline.ProcessAsync(messages, Ct);

        kit.Restart();
        var result = await kit.Pipeline.ProcessAsync(messages, Ct);

        Assert.Equal(5, result.Duplicates);
        var day = Assert.Single(await kit.Stores.QueryAsync(PipelineTestKit.Vin, DateOnly.MinValue, DateOnly.MaxValue, Ct));
        Assert.Equal(5, day.MessageCount);
        Assert.Equal(4, day.DistanceKm, 6);
    }

    [Fact]
    public async Task ProcessAsync_MalformedMessages_ParkedWithReasonAndBatchContinues()
    {
        var kit = new PipelineTestKit();
        var batch = new[]
        {
            kit.Raw(Encoding.UTF8.GetBytes("{not json")),
            kit.Message(PipelineTestKit.Body(0, odometer: 1000)),
            kit.Raw(Encoding.UTF8.GetBytes("""{"schemaVersion":1,"lon":11,"speedKmh":10,"odometerKm":1,"timestamp":"2026-11-20T10:00:00Z"}""")),
            kit.Raw(Encoding.UTF8.GetBytes("""{"schemaVersion":7}""")),
            kit.Raw(Encoding.UTF8.GetBytes("{}"), vin: ""),
            kit.Message(PipelineTestKit.Body(10, odometer: 1001)),
        };

        var result = await kit.Pipeline.ProcessAsync(batch, Ct);

        Assert.Equal(2, result.Processed);
        Assert.Equal(4, result.Malformed);
        var reasons = kit.Stores.DeadLetters.Select(d => d.Reason).ToList();
        Assert.Equal(4, reasons.Count);
        Assert.Contains(reasons, r => r.Contains("not valid JSON", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("lat", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("schemaVersion 7", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r.Contains("no device id", StringComparison.Ordinal));
        Assert.Equal(1001, (await kit.Stores.GetAsync(PipelineTestKit.Vin, Ct))!.OdometerKm);
    }

    [Fact]
    public async Task ProcessAsync_SustainedSpeeding_OneEventPerEpisode()
    {
        var kit = new PipelineTestKit();

        // Episode 1: over the limit for 40 s (raises at 30 s); a short burst under 30 s; episode 2.
        var speeds = new (int Second, double Speed)[] { (0, 130), (10, 135), (20, 140), (30, 140), (40, 131), (50, 100), (60, 150), (70, 150), (80, 90), (90, 150), (100, 150), (130, 150), (140, 150) };
        foreach (var (second, speed) in speeds)
        {
            await kit.Pipeline.ProcessAsync([kit.Message(PipelineTestKit.Body(second, speed: speed))], Ct);
        }

        var events = kit.Stores.RiskEvents.Where(e => e.Rule == RiskRules.Speeding).OrderBy(e => e.OccurredAt).ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(PipelineTestKit.T0.AddSeconds(30), events[0].OccurredAt);
        Assert.Equal(PipelineTestKit.T0.AddSeconds(130), events[1].OccurredAt);
        Assert.Equal(2, kit.Stores.Published.Count(p => p.EventType == "telemetry.speeding" && p.Topic == TelemetryPipeline.RiskEventsTopic));
    }

    [Fact]
    public async Task ProcessAsync_GeofenceExitAndEntry_OneEventEach()
    {
        var kit = new PipelineTestKit();
        await kit.Stores.UpsertAsync(new Geofence("home", PipelineTestKit.Vin, "Home", GeofenceKind.Allowed, new GeoPoint(48.137, 11.575), 1000, null), Ct);
        await kit.Stores.UpsertAsync(new Geofence("square", PipelineTestKit.Vin, "Square", GeofenceKind.Allowed, null, null, [new(48.0, 11.0), new(48.0, 12.0), new(49.0, 12.0), new(49.0, 11.0)]), Ct);

        // Inside both, leave the circle (still in the square), stay out, come back.
        var points = new[] { 48.137, 48.150, 48.160, 48.137, 48.137 };
        for (var i = 0; i < points.Length; i++)
        {
            await kit.Pipeline.ProcessAsync([kit.Message(PipelineTestKit.Body(i * 10, lat: points[i]))], Ct);
        }

        var events = kit.Stores.RiskEvents.OrderBy(e => e.OccurredAt).Select(e => (e.Rule, e.Detail.Contains("(home)", StringComparison.Ordinal))).ToList();
        Assert.Equal([(RiskRules.GeofenceExit, true), (RiskRules.GeofenceEntry, true)], events);
    }

    [Fact]
    public async Task ProcessAsync_LowBatteryWithHysteresis_OneEventPerEpisode()
    {
        var kit = new PipelineTestKit();
        var levels = new double[] { 20, 14, 12, 16, 13, 25, 10 };
        for (var i = 0; i < levels.Length; i++)
        {
            await kit.Pipeline.ProcessAsync([kit.Message(PipelineTestKit.Body(i * 10, battery: levels[i]))], Ct);
        }

        // 14 opens; 16 is inside the hysteresis band so 13 is the same episode; 25 closes; 10 opens again.
        Assert.Equal(2, kit.Stores.RiskEvents.Count(e => e.Rule == RiskRules.LowBattery));
    }

    [Fact]
    public async Task ProcessAsync_OdometerPassesInterval_OneEventPerMilestone()
    {
        var kit = new PipelineTestKit();
        var odometers = new double[] { 14_990, 14_999, 15_001, 15_500, 29_999, 30_000.5 };
        for (var i = 0; i < odometers.Length; i++)
        {
            await kit.Pipeline.ProcessAsync([kit.Message(PipelineTestKit.Body(i * 10, odometer: odometers[i]))], Ct);
        }

        var events = kit.Stores.RiskEvents.Where(e => e.Rule == RiskRules.MaintenanceDue).OrderBy(e => e.OccurredAt).ToList();
        Assert.Equal(2, events.Count);
        Assert.Contains("15000 km", events[0].Detail, StringComparison.Ordinal);
        Assert.Contains("30000 km", events[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProcessAsync_DiagnosticTroubleCodes_OneEventWhileActive()
    {
        var kit = new PipelineTestKit();
        var codes = new[] { Array.Empty<string>(), ["P0300"], ["P0300", "P0171"], ["P0300"], [], ["P0300"] };
        for (var i = 0; i < codes.Length; i++)
        {
            await kit.Pipeline.ProcessAsync([kit.Message(PipelineTestKit.Body(i * 10, dtcs: codes[i]))], Ct);
        }

        var events = kit.Stores.RiskEvents.Where(e => e.Rule == RiskRules.DiagnosticTroubleCode).OrderBy(e => e.OccurredAt).Select(e => e.Detail).ToList();
        Assert.Equal(3, events.Count);
        Assert.Equal(2, events.Count(d => d.Contains("P0300", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CheckOfflineAsync_SilentLongerThanThreshold_OneEventUntilNextMessage()
    {
        var kit = new PipelineTestKit();
        await kit.Pipeline.ProcessAsync([kit.Message(PipelineTestKit.Body(0))], Ct);

        kit.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(0, await kit.Pipeline.CheckOfflineAsync(Ct));
        kit.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await kit.Pipeline.CheckOfflineAsync(Ct));
        kit.Time.Advance(TimeSpan.FromMinutes(60));
        Assert.Equal(0, await kit.Pipeline.CheckOfflineAsync(Ct));

        var back = kit.Message(PipelineTestKit.Body(7200)) with { EnqueuedTime = kit.Time.GetUtcNow() };
        await kit.Pipeline.ProcessAsync([back], Ct);
        kit.Time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(1, await kit.Pipeline.CheckOfflineAsync(Ct));
        Assert.Equal(2, kit.Stores.RiskEvents.Count(e => e.Rule == RiskRules.Offline));
    }

    [Fact]
    public async Task ProcessAsync_ManyVehiclesInterleaved_EachVehicleInOrder()
    {
        var kit = new PipelineTestKit();
        var vins = Enumerable.Range(1, 20).Select(i => $"WTEST{i:D12}").ToArray();
        var batch = new List<TelemetryMessage>();
        for (var step = 0; step < 50; step++)
        {
            foreach (var vin in vins)
            {
                batch.Add(kit.Message(PipelineTestKit.Body(step * 5, odometer: 100 + step), vin: vin, partition: (vin.GetHashCode(StringComparison.Ordinal) & 3).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        var result = await kit.Pipeline.ProcessAsync(batch, Ct);

        Assert.Equal(1000, result.Processed);
        foreach (var vin in vins)
        {
            var state = await kit.Stores.GetAsync(vin, Ct);
            Assert.Equal(149, state!.OdometerKm);
            var day = Assert.Single(await kit.Stores.QueryAsync(vin, DateOnly.MinValue, DateOnly.MaxValue, Ct));
            Assert.Equal(49, day.DistanceKm, 6);
        }
    }

    [Fact]
    public async Task ProcessAsync_OlderReadingAfterNewer_DoesNotMoveVehicleBack()
    {
        var kit = new PipelineTestKit();
        await kit.Pipeline.ProcessAsync([kit.Message(PipelineTestKit.Body(100, odometer: 2000)), kit.Message(PipelineTestKit.Body(50, odometer: 1990))], Ct);

        Assert.Equal(2000, (await kit.Stores.GetAsync(PipelineTestKit.Vin, Ct))!.OdometerKm);
    }
}
