using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Storage.AzureStorage;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Telemetry.Tests;

/// <summary>
/// The malformed-input sweep for what a device controls: every field of the body and of the envelope
/// (device id, message id, application properties), sent through the real pipeline on Azurite. The
/// promise: the pipeline never throws for device input (a throw stalls the partition), the bad message
/// is parked once with a reason, and the vehicle's next good reading is processed.
/// </summary>
public class DeviceInputSweepTests(PlatformEmulators emulators)
{
    private const string Vin = "WSWPX000000000001";
    private static readonly DateTimeOffset Day = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Good(int second, string extra = "") =>
        $$"""{"schemaVersion":1,"lat":48.1,"lon":11.5,"speedKmh":10,"heading":90,"odometerKm":{{100 + second}},"batteryPercent":80,"ignition":true,"dtcs":["P0301"],"firmwareVersion":"2.0.1",{{extra}}"timestamp":"{{Day.AddSeconds(second):O}}"}""";

    /// <summary>Bodies a device could send that must be parked, not stored: each names the field it breaks.</summary>
    public static readonly (string Name, Func<int, string> Body)[] BadBodies =
    [
        ("dtc too long", s => Good(s).Replace("[\"P0301\"]", $"[\"{new string('P', 300)}\"]", StringComparison.Ordinal)),
        ("dtc with slash", s => Good(s).Replace("[\"P0301\"]", "[\"P03/01\"]", StringComparison.Ordinal)),
        ("dtc with backslash, hash and question mark", s => Good(s).Replace("[\"P0301\"]", "[\"P\\\\0#1?\"]", StringComparison.Ordinal)),
        ("dtc with a control character", s => Good(s).Replace("[\"P0301\"]", "[\"P03\\u000101\"]", StringComparison.Ordinal)),
        ("dtc empty", s => Good(s).Replace("[\"P0301\"]", "[\"\"]", StringComparison.Ordinal)),
        ("dtc null", s => Good(s).Replace("[\"P0301\"]", "[null]", StringComparison.Ordinal)),
        ("too many dtcs", s => Good(s).Replace("[\"P0301\"]", "[" + string.Join(',', Enumerable.Range(0, 500).Select(i => $"\"P{i % 4}{i:X3}\"")) + "]", StringComparison.Ordinal)),
        ("firmware huge", s => Good(s).Replace("\"2.0.1\"", $"\"{new string('9', 100_000)}\"", StringComparison.Ordinal)),
        ("firmware with slash and control", s => Good(s).Replace("\"2.0.1\"", "\"2.0/\\u0000\"", StringComparison.Ordinal)),
        ("heading NaN", s => Good(s).Replace("\"heading\":90", "\"heading\":\"NaN\"", StringComparison.Ordinal)),
        ("heading out of range", s => Good(s).Replace("\"heading\":90", "\"heading\":7200", StringComparison.Ordinal)),
        ("odometer Infinity", s => Good(s).Replace("\"odometerKm\":" + (100 + s), "\"odometerKm\":\"Infinity\"", StringComparison.Ordinal)),
        ("odometer huge", s => Good(s).Replace("\"odometerKm\":" + (100 + s), "\"odometerKm\":1e300", StringComparison.Ordinal)),
        ("speed NaN", s => Good(s).Replace("\"speedKmh\":10", "\"speedKmh\":\"NaN\"", StringComparison.Ordinal)),
        ("lat NaN", s => Good(s).Replace("\"lat\":48.1", "\"lat\":\"NaN\"", StringComparison.Ordinal)),
        ("lon -Infinity", s => Good(s).Replace("\"lon\":11.5", "\"lon\":\"-Infinity\"", StringComparison.Ordinal)),
        ("battery NaN", s => Good(s).Replace("\"batteryPercent\":80", "\"batteryPercent\":\"NaN\"", StringComparison.Ordinal)),
        ("fuel Infinity", s => Good(s, "\"fuelPercent\":\"Infinity\",")),
        ("timestamp far future", s => Good(s).Replace(Day.AddSeconds(s).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), "9999-12-31T23:59:59", StringComparison.Ordinal)),
        ("timestamp ancient", s => Good(s).Replace(Day.AddSeconds(s).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), "0001-01-01T00:00:00", StringComparison.Ordinal)),
        ("body too large", s => Good(s, $"\"padding\":\"{new string('x', 300 * 1024)}\",")),
    ];

    [Fact]
    public async Task DeviceSuppliedFields_Garbage_ParkedOnceWithReason_PipelineNeverThrows_VehicleGoesOn()
    {
        await using var factory = new LocalHostFactory(emulators);
        factory.Settings["Storage:ResourcePrefix"] = "t" + Guid.NewGuid().ToString("N")[..10];
        using var client = factory.CreateClient();
        var token = await TokenAsync(client);
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/vehicles") { Content = JsonContent.Create(new { vin = Vin }) })
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(request, Ct)).StatusCode);
        }

        var pipeline = factory.Services.GetRequiredService<TelemetryPipeline>();
        var storage = factory.Services.GetRequiredService<StorageClients>();
        var failures = new List<string>();
        long sequence = 1;
        var second = 0;
        var expectedParked = new List<string>();

        async Task SendAsync(string name, TelemetryMessage message, bool expectParked)
        {
            try
            {
                var result = await pipeline.ProcessAsync([message], Ct);
                if (expectParked && result.Malformed != 1)
                {
                    failures.Add($"  {name}: not counted as malformed ({result})");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures.Add($"  {name}: the pipeline threw {ex.GetType().Name}: {ex.Message[..Math.Min(300, ex.Message.Length)]}");
            }

            if (expectParked)
            {
                expectedParked.Add(name);
            }
        }

        TelemetryMessage Message(string body, string? deviceId = null, string? messageId = null, Dictionary<string, string>? properties = null)
        {
            var seq = sequence++;
            return new TelemetryMessage(deviceId ?? Vin, Day.AddSeconds(second), "0", seq, messageId ?? $"m-{seq}", properties ?? [], Encoding.UTF8.GetBytes(body));
        }

        foreach (var (name, body) in BadBodies)
        {
            second += 10;
            await SendAsync(name, Message(body(second)), expectParked: true);
            second += 10;
            await SendAsync(name + " (the next good reading)", Message(Good(second)), expectParked: false);
        }

        (string Name, TelemetryMessage Message)[] badEnvelopes =
        [
            ("device id with slash", Message(Good(second), deviceId: "WSWPX/00000000001")),
            ("device id huge", Message(Good(second), deviceId: new string('W', 5000))),
            ("device id not a VIN", Message(Good(second), deviceId: "vehicle#1?x")),
            ("message id huge", Message(Good(second), messageId: new string('m', 10_000))),
            ("message id with control characters", Message(Good(second), messageId: "m-\u0001\u0000")),
            ("too many properties", Message(Good(second), properties: Enumerable.Range(0, 1000).ToDictionary(i => $"k{i}", i => "v"))),
            ("property value huge", Message(Good(second), properties: new() { ["k"] = new string('v', 100_000) })),
        ];
        foreach (var (name, message) in badEnvelopes)
        {
            await SendAsync(name, message, expectParked: true);
        }

        second += 10;
        await SendAsync("the last good reading", Message(Good(second)), expectParked: false);

        var state = await pipeline.ProcessAsync([], Ct);
        var stored = await factory.Services.GetRequiredService<ITelemetryStateStore>().GetAsync(Vin, Ct);
        if (stored is null || stored.OdometerKm != 100 + second)
        {
            failures.Add($"  the vehicle did not go on: odometer {stored?.OdometerKm}");
        }

        var parked = await PoisonTelemetryTests.ReadDeadLettersAsync(storage);
        if (parked.Count != expectedParked.Count)
        {
            failures.Add($"  {parked.Count} dead letters for {expectedParked.Count} bad messages");
        }

        failures.AddRange(parked.Where(p => string.IsNullOrWhiteSpace(p.Reason)).Select(p => $"  a dead letter without a reason: {p.Message.MessageId}"));
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.Equal(0, state.Processed);
    }

    private static Task<string> TokenAsync(HttpClient client) => DevTokens.IssueAsync(client, "staff-1", "tenant-sweep", "dealer-staff");
}
