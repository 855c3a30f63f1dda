using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using MQTTnet.Server;
using ServerlessMobility.Telemetry;
using ServerlessMobility.LocalHost.Broker;

namespace ServerlessMobility.LocalHost.Telemetry;

public sealed class TelemetryIngestionOptions
{
    public const string SectionName = "Telemetry:Ingestion";

    /// <summary>Like an IoT Hub's partition count: each partition has its own sequence and consumer.</summary>
    public int Partitions { get; set; } = 4;

    public int MaxBatchSize { get; set; } = 2000;

    /// <summary>How long a consumer waits to fill a batch once it has a first message.</summary>
    public TimeSpan MaxBatchWait { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Messages buffered per partition before publishers are slowed down (back-pressure, never dropped).</summary>
    public int PartitionCapacity { get; set; } = 20_000;

    public TimeSpan OfflineCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// The local stand-in for IoT Hub + its Event Hubs-compatible endpoint + the Event Hubs trigger.
/// Device-to-cloud publishes on <c>devices/{id}/messages/events/...</c> are taken off the broker,
/// stamped with enqueued time, a partition (hash of the device id) and a per-partition sequence number,
/// and fed in batches through the same <see cref="TelemetryBatchRunner"/> and <see cref="TelemetryPipeline"/> the Functions app calls.
/// Sequence numbers start at the host's start time in microseconds, so they keep growing across
/// restarts without storage and the pipeline's high-water marks stay valid.
/// </summary>
public sealed partial class MqttTelemetryIngestion(
    MqttBroker broker,
    TelemetryPipeline pipeline,
    TelemetryBatchRunner runner,
    IOptions<TelemetryIngestionOptions> options,
    TimeProvider timeProvider,
    ILogger<MqttTelemetryIngestion> logger) : BackgroundService
{
    private readonly TelemetryIngestionOptions _options = options.Value;
    private Channel<TelemetryMessage>[] _partitions = [];
    private long[] _sequences = [];
    private long _ingested;
    private long _rejected;

    public long Ingested => Interlocked.Read(ref _ingested);

    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Batches processed (tests poll this rather than sleeping).</summary>
    public long ProcessedMessages { get; private set; }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var count = Math.Max(1, _options.Partitions);
        _partitions = [.. Enumerable.Range(0, count).Select(_ => Channel.CreateBounded<TelemetryMessage>(new BoundedChannelOptions(_options.PartitionCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait }))];
        var start = timeProvider.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        _sequences = [.. Enumerable.Repeat(start, count)];
        broker.Server.InterceptingPublishAsync += OnPublishAsync;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        broker.Server.InterceptingPublishAsync -= OnPublishAsync;
        foreach (var partition in _partitions)
        {
            partition.Writer.TryComplete();
        }

        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var consumers = _partitions.Select((channel, index) => ConsumeAsync(index, channel.Reader, stoppingToken)).ToList();
        consumers.Add(CheckOfflineLoopAsync(stoppingToken));
        await Task.WhenAll(consumers);
    }

    private async Task OnPublishAsync(InterceptingPublishEventArgs e)
    {
        var topic = e.ApplicationMessage.Topic;
        if (!topic.StartsWith("devices/", StringComparison.Ordinal))
        {
            return;
        }

        // Device-to-cloud messages go to the platform, not to other MQTT subscribers (as in IoT Hub). The broker's
        // policy has already closed the connection of a device publishing as another; it is not ingested either.
        e.ProcessPublish = false;
        if (!IoTHubTopics.TryParseTelemetry(topic, out var deviceId, out var messageId, out var properties)
            || deviceId != e.ClientId)
        {
            Interlocked.Increment(ref _rejected);
            return;
        }

        var partition = IoTHubTopics.PartitionFor(deviceId, _partitions.Length);
        var body = e.ApplicationMessage.Payload.ToArray();
        var sequence = Interlocked.Increment(ref _sequences[partition]);
        var message = new TelemetryMessage(deviceId, timeProvider.GetUtcNow(), partition.ToString(System.Globalization.CultureInfo.InvariantCulture), sequence, messageId, properties, body);
        await _partitions[partition].Writer.WriteAsync(message, e.CancellationToken);
        Interlocked.Increment(ref _ingested);
    }

    private async Task ConsumeAsync(int partition, ChannelReader<TelemetryMessage> reader, CancellationToken stoppingToken)
    {
        var batch = new List<TelemetryMessage>(_options.MaxBatchSize);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                using (var fill = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    fill.CancelAfter(_options.MaxBatchWait);
                    try
                    {
                        while (batch.Count < _options.MaxBatchSize)
                        {
                            if (reader.TryRead(out var next))
                            {
                                batch.Add(next);
                            }
                            else if (!await reader.WaitToReadAsync(fill.Token))
                            {
                                break;
                            }
                        }
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                        // The batch window closed: process what we have.
                    }
                }

                await ProcessWithRetryAsync(partition, batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; unprocessed messages are lost locally as an unacknowledged MQTT QoS 0 would be.
        }
    }

    private async Task ProcessWithRetryAsync(int partition, List<TelemetryMessage> batch, CancellationToken stoppingToken)
    {
        // At least once, like the Event Hubs trigger, through the same runner the Functions app uses: a failing
        // part is retried, then split until a poison message stands alone and is parked; the partition goes on.
        var result = await runner.RunAsync(batch, stoppingToken);
        lock (_partitions)
        {
            ProcessedMessages += batch.Count;
        }

        if (result.Malformed > 0 || result.Duplicates > 0)
        {
            LogBatch(logger, partition, batch.Count, result.Duplicates, result.Malformed);
        }
    }

    private async Task CheckOfflineLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.OfflineCheckInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await pipeline.CheckOfflineAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogOfflineCheckFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Partition}: batch of {Count} with {Duplicates} duplicates and {Malformed} malformed messages")]
    private static partial void LogBatch(ILogger logger, int partition, int count, int duplicates, int malformed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The offline check failed; it runs again at the next interval")]
    private static partial void LogOfflineCheckFailed(ILogger logger, Exception exception);
}
