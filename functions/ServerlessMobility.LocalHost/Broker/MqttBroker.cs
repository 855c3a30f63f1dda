using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using MQTTnet.Server;

namespace ServerlessMobility.LocalHost.Broker;

/// <summary>
/// Runs MQTTnet's server on loopback for the lifetime of the host. Other components (telemetry
/// ingestion, vehicle commands) attach to <see cref="Server"/>.
/// </summary>
public sealed partial class MqttBroker(IOptions<MqttBrokerOptions> options, ILogger<MqttBroker> logger) : IHostedService, IAsyncDisposable
{
    private readonly MqttBrokerOptions _options = options.Value;

    public MqttServer Server { get; } = new MqttServerFactory().CreateMqttServer(
        new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.IPv6Loopback)
            .WithDefaultEndpointPort(options.Value.Port)
            .Build());

    public int Port => _options.Port;

    public bool IsRunning => Server.IsStarted;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        await Server.StartAsync();
        LogStarted(logger, _options.Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Server.IsStarted)
        {
            await Server.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
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
