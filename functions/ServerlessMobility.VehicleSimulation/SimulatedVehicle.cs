using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using ServerlessMobility.Telemetry;

namespace ServerlessMobility.VehicleSimulation;

/// <summary>How a simulated vehicle answers a direct method.</summary>
public enum MethodOutcome
{
    Succeed,
    Fail,
    TimeOut,

    /// <summary>Applies the method but answers only after <see cref="SimulatedVehicle.LateAnswerDelay"/>, past the caller's timeout.</summary>
    ApplyAndAnswerLate,
}

/// <summary>The configured answer: an outcome, or failures (500) until attempt <see cref="SucceedOnAttempt"/>.</summary>
public sealed record MethodBehaviour(MethodOutcome Outcome, int SucceedOnAttempt = 1)
{
    public static MethodBehaviour Succeed { get; } = new(MethodOutcome.Succeed);

    public static MethodBehaviour Fail { get; } = new(MethodOutcome.Fail);

    public static MethodBehaviour TimeOut { get; } = new(MethodOutcome.TimeOut);

    public static MethodBehaviour ApplyAndAnswerLate { get; } = new(MethodOutcome.ApplyAndAnswerLate);

    public static MethodBehaviour SucceedAfter(int attempts) => new(MethodOutcome.Succeed, attempts);

    /// <summary>
    /// "answer" (or "succeed"), "refuse" (or "fail"), "ignore" (or "timeout"), "late" or "after:K" (refuse until
    /// attempt K). The first names say what a person sees from the platform's side; the second ones are kept for
    /// scripts and tests written before them.
    /// </summary>
    public static MethodBehaviour Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToUpperInvariant() switch
        {
            "ANSWER" or "SUCCEED" => Succeed,
            "REFUSE" or "FAIL" => Fail,
            "IGNORE" or "TIMEOUT" => TimeOut,
            "LATE" => ApplyAndAnswerLate,
            var upper when upper.StartsWith("AFTER:", StringComparison.Ordinal) && int.TryParse(upper[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var k) && k >= 1 => SucceedAfter(k),
            _ => throw new FormatException($"Unknown behaviour '{text}': use answer, refuse, ignore, late or after:K (refuse until attempt K, K at least 1)."),
        };
    }
}

/// <summary>
/// One vehicle on MQTT with IoT Hub's conventions: telemetry on <c>devices/{id}/messages/events/</c>
/// with <c>$.mid</c> message ids, direct methods on <c>$iothub/methods/POST/#</c>. It drives a route in a
/// loop; its readings are computed from simulated time, so tests choose exact values.
/// </summary>
public sealed class SimulatedVehicle : IAsyncDisposable
{
    public static readonly IReadOnlyList<string> SupportedMethods = ["activateFeature", "deactivateFeature", "immobilize", "mobilize"];

    private readonly IoTHubConnection _connection;
    private readonly IMqttClient _client;
    private readonly ConcurrentDictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _features = new(StringComparer.Ordinal);
    private long _messageCounter;

    public SimulatedVehicle(IoTHubConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
    }

    public string Vin => _connection.DeviceId;

    /// <summary>Per method name; methods not listed use <see cref="DefaultBehaviour"/>.</summary>
    public ConcurrentDictionary<string, MethodBehaviour> Behaviours { get; } = new(StringComparer.Ordinal);

    public MethodBehaviour DefaultBehaviour { get; set; } = MethodBehaviour.Succeed;

    /// <summary>How long <see cref="MethodOutcome.ApplyAndAnswerLate"/> waits before it answers.</summary>
    public TimeSpan LateAnswerDelay { get; set; } = TimeSpan.FromSeconds(3);

    public bool Immobilized { get; private set; }

    public IReadOnlyCollection<string> ActiveFeatures => [.. _features.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Direct methods received (every attempt), for assertions.</summary>
    public ConcurrentQueue<(string Method, string Payload)> ReceivedMethods { get; } = new();

    /// <summary>The request ids of the direct methods received, in order.</summary>
    public ConcurrentQueue<string> ReceivedRequestIds { get; } = new();

    public bool IsConnected => _client.IsConnected;

    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_connection.Host, _connection.Port)
            .WithClientId(_connection.DeviceId)
            .WithCredentials(_connection.UserName, _connection.Password)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithCleanSession()
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60));
        if (_connection.UseTls)
        {
            builder = builder.WithTlsOptions(o => o.UseTls());
        }

        await _client.ConnectAsync(builder.Build(), cancellationToken);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(IoTHubTopics.MethodRequestFilter, MqttQualityOfServiceLevel.AtMostOnce).Build(), cancellationToken);
    }

    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), cancellationToken);
        }
    }

    /// <summary>Sends a reading; returns the message id used (reuse it to inject a device-side duplicate).</summary>
    public async Task<string> SendAsync(TelemetryBody body, string? messageId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        messageId ??= string.Create(CultureInfo.InvariantCulture, $"{Vin}-{Interlocked.Increment(ref _messageCounter)}");
        await SendRawAsync(JsonSerializer.SerializeToUtf8Bytes(body, TelemetryJsonContext.Default.TelemetryBody), messageId, cancellationToken);
        return messageId;
    }

    /// <summary>Sends any bytes as a telemetry message (malformed-message injection).</summary>
    public async Task SendRawAsync(byte[] payload, string messageId, CancellationToken cancellationToken = default)
    {
        var topic = $"devices/{Uri.EscapeDataString(Vin)}/messages/events/$.mid={Uri.EscapeDataString(messageId)}&$.ct=application%2Fjson&$.ce=utf-8";
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await _client.PublishAsync(message, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await DisconnectAsync();
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // The broker is already gone; nothing to say goodbye to.
        }

        _client.Dispose();
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        if (!IoTHubTopics.TryParseMethodRequest(e.ApplicationMessage.Topic, out var method, out var requestId))
        {
            return;
        }

        var payload = Encoding.UTF8.GetString(e.ApplicationMessage.Payload);
        ReceivedRequestIds.Enqueue(requestId);
        ReceivedMethods.Enqueue((method, payload));
        var attempt = _attempts.AddOrUpdate(method, 1, (_, n) => n + 1);
        var behaviour = Behaviours.TryGetValue(method, out var configured) ? configured : DefaultBehaviour;
        if (behaviour.Outcome == MethodOutcome.TimeOut)
        {
            return;
        }

        int status;
        string response;
        if (!SupportedMethods.Contains(method, StringComparer.Ordinal))
        {
            (status, response) = (404, $$"""{"error":"unknown method {{method}}"}""");
        }
        else if (behaviour.Outcome == MethodOutcome.Fail || attempt < behaviour.SucceedOnAttempt)
        {
            (status, response) = (500, $$"""{"error":"simulated failure","attempt":{{attempt}}}""");
        }
        else
        {
            Apply(method, payload);
            (status, response) = (200, $$"""{"result":"ok","attempt":{{attempt}},"immobilized":{{(Immobilized ? "true" : "false")}}}""");
        }

        var answer = new MqttApplicationMessageBuilder()
            .WithTopic(IoTHubTopics.MethodResponse(status, requestId))
            .WithPayload(Encoding.UTF8.GetBytes(response))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        if (behaviour.Outcome == MethodOutcome.ApplyAndAnswerLate && status == 200)
        {
            // Applied, but the confirmation comes after the platform stopped waiting (a weak connection); later
            // requests are not held up meanwhile.
            _ = AnswerLaterAsync(answer);
            return;
        }

        await _client.PublishAsync(answer);
    }

    private async Task AnswerLaterAsync(MqttApplicationMessage answer)
    {
        await Task.Delay(LateAnswerDelay).ConfigureAwait(false);
        if (_client.IsConnected)
        {
            try
            {
                await _client.PublishAsync(answer).ConfigureAwait(false);
            }
            catch (MQTTnet.Exceptions.MqttCommunicationException)
            {
                // Disconnected meanwhile: the answer is lost, as it would be on the road.
            }
        }
    }

    private void Apply(string method, string payload)
    {
        switch (method)
        {
            case "immobilize":
                Immobilized = true;
                break;
            case "mobilize":
                Immobilized = false;
                break;
            case "activateFeature" or "deactivateFeature":
                var feature = FeatureOf(payload);
                if (feature is not null)
                {
                    if (method == "activateFeature")
                    {
                        _features[feature] = 0;
                    }
                    else
                    {
                        _features.TryRemove(feature, out _);
                    }
                }

                break;
        }
    }

    private static string? FeatureOf(string payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("feature", out var f) ? f.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
