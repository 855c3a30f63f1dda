using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.Telemetry.Tests;

/// <summary>Unit tests of the edge validation (issue 16 item 2) and of the runner that isolates poison messages.</summary>
public class TelemetryValidationTests
{
    private static readonly DateTimeOffset Received = PipelineTestKit.T0;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Body(string replace = "", string with = "") =>
        """{"schemaVersion":1,"lat":48.1,"lon":11.5,"speedKmh":10,"heading":90,"odometerKm":100,"batteryPercent":80,"fuelPercent":50,"ignition":true,"dtcs":["P0301"],"firmwareVersion":"2.0.1","timestamp":"2026-11-20T10:00:00Z"}"""
            .Replace(replace.Length == 0 ? "\u0000" : replace, with, StringComparison.Ordinal);

    [Theory]
    [InlineData("[\"P0301\"]", "[\"P0301\",\"C0A1F\",\"B3FFF\",\"U0100\",\"P030113\"]")]
    [InlineData("\"2.0.1\"", "\"1.2.3-beta.4+build_7\"")]
    [InlineData("\"heading\":90", "\"heading\":360")]
    [InlineData("\"odometerKm\":100", "\"odometerKm\":10000000")]
    [InlineData("\"lat\":48.1,\"lon\":11.5", "\"lat\":-90,\"lon\":180")]
    [InlineData("2026-11-20T10:00:00Z", "2026-11-20T10:59:59Z")]
    [InlineData("", "")]
    public void TryParse_AtTheLimits_Accepted(string replace, string with)
    {
        var ok = TelemetryParser.TryParse(Encoding.UTF8.GetBytes(Body(replace, with)), Received, out var reading, out var reason);

        Assert.True(ok, reason);
        Assert.NotNull(reading);
    }

    [Theory]
    [InlineData("[\"P0301\"]", "[\"P03/01\"]", "dtcs")]
    [InlineData("[\"P0301\"]", "[\"p0301\"]", "dtcs")]
    [InlineData("[\"P0301\"]", "[\"P4301\"]", "dtcs")]
    [InlineData("[\"P0301\"]", "[\"X0301\"]", "dtcs")]
    [InlineData("[\"P0301\"]", "[\"P0301000\"]", "dtcs")]
    [InlineData("[\"P0301\"]", "[\"P03G1\"]", "dtcs")]
    [InlineData("[\"P0301\"]", "[\"\"]", "dtcs")]
    [InlineData("[\"P0301\"]", "[null]", "dtcs")]
    [InlineData("\"2.0.1\"", "\"\"", "firmwareVersion")]
    [InlineData("\"2.0.1\"", "\"2.0 beta\"", "firmwareVersion")]
    [InlineData("\"2.0.1\"", "\"2.0/1\"", "firmwareVersion")]
    [InlineData("\"heading\":90", "\"heading\":-1", "heading")]
    [InlineData("\"heading\":90", "\"heading\":\"NaN\"", "not valid JSON")]
    [InlineData("\"speedKmh\":10", "\"speedKmh\":\"10\"", "not valid JSON")]
    [InlineData("\"speedKmh\":10", "\"speedKmh\":500.1", "speedKmh")]
    [InlineData("\"odometerKm\":100", "\"odometerKm\":10000000.5", "odometerKm")]
    [InlineData("\"odometerKm\":100", "\"odometerKm\":\"Infinity\"", "not valid JSON")]
    [InlineData("\"lat\":48.1", "\"lat\":\"NaN\"", "not valid JSON")]
    [InlineData("\"lat\":48.1", "\"lat\":90.0001", "lat")]
    [InlineData("\"lon\":11.5", "\"lon\":-180.0001", "lon")]
    [InlineData("\"batteryPercent\":80", "\"batteryPercent\":100.5", "batteryPercent")]
    [InlineData("\"fuelPercent\":50", "\"fuelPercent\":-0.5", "fuelPercent")]
    [InlineData("2026-11-20T10:00:00Z", "2026-11-20T11:00:01Z", "timestamp")]
    [InlineData("2026-11-20T10:00:00Z", "1999-12-31T23:59:59Z", "timestamp")]
    public void TryParse_BeyondTheLimits_RejectedWithTheField(string replace, string with, string reasonContains)
    {
        var ok = TelemetryParser.TryParse(Encoding.UTF8.GetBytes(Body(replace, with)), Received, out var reading, out var reason);

        Assert.False(ok);
        Assert.Null(reading);
        Assert.Contains(reasonContains, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TooManyCodesOrTooLargeBody_Rejected()
    {
        var codes = string.Join(',', Enumerable.Range(0, TelemetryLimits.MaxDtcs + 1).Select(i => $"\"P0{i:X3}\""));
        var large = Body("\"ignition\":true", $"\"ignition\":true,\"pad\":\"{new string('x', TelemetryLimits.MaxBodyBytes)}\"");

        Assert.False(TelemetryParser.TryParse(Encoding.UTF8.GetBytes(Body("[\"P0301\"]", $"[{codes}]")), Received, out _, out var tooMany));
        Assert.False(TelemetryParser.TryParse(Encoding.UTF8.GetBytes(large), Received, out _, out var tooLarge));
        Assert.Contains("at most 32", tooMany, StringComparison.Ordinal);
        Assert.Contains("exceeds", tooLarge, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WTEST000000000001", "m-1", null)]
    [InlineData("WTEST000000000001", null, null)]
    [InlineData("", "m-1", "device id")]
    [InlineData("WTEST00000000000I", "m-1", "VIN")]
    [InlineData("wtest000000000001", "m-1", "VIN")]
    [InlineData("WTEST/00000000001", "m-1", "VIN")]
    [InlineData("WTEST000000000001", "m 1", "message id")]
    [InlineData("WTEST000000000001", "m-\u0001", "message id")]
    public void ValidateEnvelope_DeviceIdAndMessageId(string deviceId, string? messageId, string? reasonContains)
    {
        var reason = TelemetryLimits.ValidateEnvelope(new TelemetryMessage(deviceId, Received, "0", 1, messageId, new Dictionary<string, string>(), Encoding.UTF8.GetBytes(Body())));

        if (reasonContains is null)
        {
            Assert.Null(reason);
        }
        else
        {
            Assert.Contains(reasonContains, reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ValidateEnvelope_MessageIdAndProperties_Limited()
    {
        TelemetryMessage With(string? id = "m", Dictionary<string, string>? properties = null) =>
            new(PipelineTestKit.Vin, Received, "0", 1, id, properties ?? [], Encoding.UTF8.GetBytes(Body()));

        Assert.Null(TelemetryLimits.ValidateEnvelope(With(new string('m', 128), Enumerable.Range(0, 32).ToDictionary(i => $"k{i}", _ => new string('v', 1024)))));
        Assert.NotNull(TelemetryLimits.ValidateEnvelope(With(new string('m', 129))));
        Assert.NotNull(TelemetryLimits.ValidateEnvelope(With(properties: Enumerable.Range(0, 33).ToDictionary(i => $"k{i}", _ => "v"))));
        Assert.NotNull(TelemetryLimits.ValidateEnvelope(With(properties: new() { ["k"] = new string('v', 1025) })));
        Assert.NotNull(TelemetryLimits.ValidateEnvelope(With(properties: new() { ["k\n"] = "v" })));
    }

    [Theory]
    [InlineData("WTEST000000000001", "WTEST000000000001")]
    [InlineData("P0301", "P0301")]
    [InlineData("home_zone-1.a", "home_zone-1.a")]
    public void StorageKeys_PlainValues_Unchanged(string value, string expected) => Assert.Equal(expected, StorageKeys.Escape(value));

    [Theory]
    [InlineData("P03/01")]
    [InlineData("a#b?c\\d")]
    [InlineData("tab\there")]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("~already")]
    public void StorageKeys_UnsafeValues_Hashed(string value)
    {
        var key = StorageKeys.Escape(value);

        Assert.StartsWith("~", key, StringComparison.Ordinal);
        Assert.Equal(65, key.Length);
        Assert.Equal(key, StorageKeys.Escape(value));
        Assert.Equal(65, StorageKeys.Escape(new string('x', 5000)).Length);
    }

    [Fact]
    public async Task Runner_PoisonThatPassesValidationButFailsToStore_IsolatedParkedOnce_OthersProcessedInOrder()
    {
        var kit = new PipelineTestKit();
        var failing = new FailingRiskEventStore(kit.Stores, poisonCode: "P0999", transientFailures: 0);
        var runner = Runner(kit, failing);
        const string Other = "WTEST000000000002";
        var batch = new List<TelemetryMessage>
        {
            kit.Message(PipelineTestKit.Body(0, odometer: 1)),
            kit.Message(PipelineTestKit.Body(0, odometer: 1), vin: Other),
            kit.Message(PipelineTestKit.Body(10, odometer: 2)),
            kit.Message(PipelineTestKit.Body(20, odometer: 3, dtcs: ["P0999"]), messageId: "poison"),
            kit.Message(PipelineTestKit.Body(10, odometer: 2), vin: Other),
            kit.Message(PipelineTestKit.Body(30, odometer: 4)),
            kit.Message(PipelineTestKit.Body(20, odometer: 3), vin: Other),
        };

        var result = await runner.RunAsync(batch, Ct);
        var replay = await runner.RunAsync(batch, Ct);

        var parked = Assert.Single(kit.Stores.DeadLetters);
        Assert.Equal("poison", parked.Message.MessageId);
        Assert.Contains("InvalidOperationException", parked.Reason, StringComparison.Ordinal);
        Assert.Equal(4, (await kit.Stores.GetAsync(PipelineTestKit.Vin, Ct))!.OdometerKm);
        Assert.Equal(3, (await kit.Stores.GetAsync(Other, Ct))!.OdometerKm);
        // Every message once (the raw archive keeps what the hub received, the parked one too), though the
        // poison's vehicle was written four times and the whole batch was replayed.
        Assert.Equal(7, kit.Stores.ArchivedCount);
        Assert.Equal(6, result.Processed);
        Assert.Equal(1, result.Malformed);
        Assert.Equal(0, replay.Processed);
    }

    [Fact]
    public async Task Runner_TransientFailures_RetriedNotParked()
    {
        var kit = new PipelineTestKit();
        var failing = new FailingRiskEventStore(kit.Stores, poisonCode: null, transientFailures: 3);
        var runner = Runner(kit, failing);

        var result = await runner.RunAsync([kit.Message(PipelineTestKit.Body(0, dtcs: ["P0420"])), kit.Message(PipelineTestKit.Body(10, odometer: 10_001))], Ct);

        Assert.Empty(kit.Stores.DeadLetters);
        Assert.Equal(2, result.Processed);
        Assert.Equal(4, failing.Calls);
        Assert.Equal(10_001, (await kit.Stores.GetAsync(PipelineTestKit.Vin, Ct))!.OdometerKm);
    }

    [Fact]
    public async Task Pipeline_OneVehicleFails_OthersStoredAndFailureNamesOnlyThatVehicle()
    {
        var kit = new PipelineTestKit();
        var pipeline = new TelemetryPipeline(kit.Stores, kit.Stores, new FailingRiskEventStore(kit.Stores, "P0999", 0), kit.Stores, kit.Stores, kit.Stores, kit.Stores, kit.Stores, new VehicleStateBroadcaster(), kit.Options, kit.Time);
        const string Other = "WTEST000000000002";

        var failure = await Assert.ThrowsAsync<TelemetryBatchException>(() => pipeline.ProcessAsync([kit.Message(PipelineTestKit.Body(0, dtcs: ["P0999"])), kit.Message(PipelineTestKit.Body(0), vin: Other)], Ct));

        Assert.Equal([PipelineTestKit.Vin], failure.Failures.Keys);
        Assert.NotNull(await kit.Stores.GetAsync(Other, Ct));
        Assert.Null(await kit.Stores.GetAsync(PipelineTestKit.Vin, Ct));
    }

    private static TelemetryBatchRunner Runner(PipelineTestKit kit, IRiskEventStore riskEvents)
    {
        var pipeline = new TelemetryPipeline(kit.Stores, kit.Stores, riskEvents, kit.Stores, kit.Stores, kit.Stores, kit.Stores, kit.Stores, new VehicleStateBroadcaster(), kit.Options, kit.Time);
        return new TelemetryBatchRunner(pipeline, kit.Stores, new DefaultTransientErrorDetector(), new TelemetryRetryOptions { BaseDelay = TimeSpan.Zero, MaxDelay = TimeSpan.Zero }, kit.Time, NullLogger<TelemetryBatchRunner>.Instance);
    }

    /// <summary>A risk-event store that rejects one code every time (a poison the schema allows) or fails transiently a few times.</summary>
    private sealed class FailingRiskEventStore(IRiskEventStore inner, string? poisonCode, int transientFailures) : IRiskEventStore
    {
        private int _calls;

        public int Calls => _calls;

        public Task SaveAsync(IReadOnlyList<RiskEvent> events, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) <= transientFailures)
            {
                throw new HttpRequestException("The service is unavailable.");
            }

            if (poisonCode is not null && events.Any(e => e.Detail.Contains(poisonCode, StringComparison.Ordinal)))
            {
                throw new InvalidOperationException("The store rejects this event.");
            }

            return inner.SaveAsync(events, cancellationToken);
        }

        public Task<IReadOnlyList<RiskEvent>> QueryAsync(string vin, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            inner.QueryAsync(vin, from, to, cancellationToken);
    }
}
