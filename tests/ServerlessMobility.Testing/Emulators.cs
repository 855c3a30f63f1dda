using System.Globalization;

namespace ServerlessMobility.Testing;

/// <summary>Azurite (Blob, Queue, Table) on free loopback ports, in memory.</summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's published development account (not a secret: it is in every emulator's docs).</summary>
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private AzuriteProcess(ExternalProcess process, int blobPort, int queuePort, int tablePort)
    {
        Process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public ExternalProcess Process { get; }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    public static async Task<AzuriteProcess> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            int blob = FreeTcpPort.Next(), queue = FreeTcpPort.Next(), table = FreeTcpPort.Next();
            var azurite = Path.Combine(RepositoryPaths.NodeModules, "azurite", "dist", "src", "azurite.js");
            if (!File.Exists(azurite))
            {
                throw new InvalidOperationException($"Azurite is not installed at {azurite}: run 'npm ci' in the repository root.");
            }

            var process = ExternalProcess.Start("azurite", "node",
            [
                azurite, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl", "--disableTelemetry",
                "--blobHost", "127.0.0.1", "--blobPort", Text(blob),
                "--queueHost", "127.0.0.1", "--queuePort", Text(queue),
                "--tableHost", "127.0.0.1", "--tablePort", Text(table),
            ]);
            try
            {
                await Task.WhenAll(
                    FreeTcpPort.WaitUntilListeningAsync(blob, TimeSpan.FromSeconds(30), () => process.HasExited),
                    FreeTcpPort.WaitUntilListeningAsync(queue, TimeSpan.FromSeconds(30), () => process.HasExited),
                    FreeTcpPort.WaitUntilListeningAsync(table, TimeSpan.FromSeconds(30), () => process.HasExited));
                return new AzuriteProcess(process, blob, queue, table);
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 3)
            {
                // Another process took one of the ports between picking and binding: try new ones.
                await process.DisposeAsync();
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                var output = process.Output;
                await process.DisposeAsync();
                throw new InvalidOperationException($"Azurite did not start: {output}", ex);
            }
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}

/// <summary>@vercel/cosmosdb-server on a free loopback port, through scripts/cosmos-server.cjs.</summary>
public sealed class CosmosServerProcess : IAsyncDisposable
{
    /// <summary>The Cosmos DB emulator's published key; the local server accepts any key.</summary>
    public const string Key = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    private CosmosServerProcess(ExternalProcess process, int port)
    {
        Process = process;
        Port = port;
    }

    public ExternalProcess Process { get; }

    public int Port { get; }

    public Uri Endpoint => new($"https://127.0.0.1:{Port}/");

    public static async Task<CosmosServerProcess> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeTcpPort.Next();
            var process = ExternalProcess.Start("cosmos", "node",
            [
                RepositoryPaths.InRoot("scripts", "cosmos-server.cjs"), "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
                "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            ]);
            try
            {
                await FreeTcpPort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30), () => process.HasExited);
                return new CosmosServerProcess(process, port);
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 3)
            {
                await process.DisposeAsync();
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                var output = process.Output;
                await process.DisposeAsync();
                throw new InvalidOperationException($"The Cosmos server did not start: {output}", ex);
            }
        }
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
