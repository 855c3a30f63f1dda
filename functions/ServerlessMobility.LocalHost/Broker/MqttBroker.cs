using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace ServerlessMobility.LocalHost.Broker;

/// <summary>
/// Runs MQTTnet's server on loopback for the lifetime of the host, with IoT Hub's device contract
/// (<see cref="IoTHubBrokerPolicy"/>) attached before anything else. Other components (telemetry
/// ingestion, vehicle commands) attach to <see cref="Server"/>.
/// </summary>
public sealed partial class MqttBroker : IHostedService, IAsyncDisposable
{
    private readonly MqttBrokerOptions _options;
    private readonly ILogger<MqttBroker> _logger;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private bool _stopped;
    private int _disposed;

    public MqttBroker(IOptions<MqttBrokerOptions> options, IoTHubBrokerPolicy policy, ILogger<MqttBroker> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policy);
        _options = options.Value;
        _logger = logger;
        Server = new MqttServerFactory().CreateMqttServer(
            new MqttServerOptionsBuilder()
                .WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
                .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
                .WithDefaultEndpointPort(_options.Port)
                .Build());

        // First, so its decisions are taken before ingestion or anything else sees a message.
        policy.Attach(Server);
    }

    public MqttServer Server { get; }

    public int Port => _options.Port;

    public bool IsRunning => Server.IsStarted;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        await _lifecycle.WaitAsync(cancellationToken);
        try
        {
            await Server.StartAsync();
        }
        finally
        {
            _lifecycle.Release();
        }

        LogStarted(_logger, _options.Port);
    }

    /// <summary>
    /// Stops the broker once. Host shutdown and container disposal both reach here, and MQTTnet's
    /// listener clean-up must not run twice at the same time.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(CancellationToken.None);
        try
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            if (Server.IsStarted)
            {
                await Server.StopAsync();
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Idempotent: the container disposes this instance twice, once as the singleton and once as
    /// the hosted service resolved through a factory.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None);
        Server.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT broker listening on 127.0.0.1:{Port}")]
    private static partial void LogStarted(ILogger logger, int port);
}

/// <summary>Healthy when the broker is started and accepts TCP connections on its port.</summary>
public sealed class MqttBrokerHealthCheck(MqttBroker broker) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!broker.IsRunning)
        {
            return HealthCheckResult.Unhealthy($"The MQTT broker is not running (port {broker.Port}).");
        }

        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(IPAddress.Loopback, broker.Port, timeout.Token);
            return HealthCheckResult.Healthy($"MQTT broker accepts connections on 127.0.0.1:{broker.Port}.");
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The MQTT broker does not accept connections on 127.0.0.1:{broker.Port}.", ex);
        }
    }
}
