using System.Globalization;

namespace ServerlessMobility.Testing;

/// <summary>
/// Azurite (Blob, Queue, Table) on free loopback ports, in memory unless given a data folder. Each service runs in its own Node.js
/// process (Azurite's azurite-blob / azurite-queue / azurite-table entry points): Node.js serves one
/// request at a time per process, and the durable engine keeps tables and queues busy together, so one
/// process per service lets them use both cores instead of queueing behind each other.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's published development account (not a secret: it is in every emulator's docs).</summary>
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly string[] CommonArguments = ["--silent", "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl", "--disableTelemetry"];

    private readonly ExternalProcess[] _processes;

    private AzuriteProcess(ExternalProcess[] processes, int blobPort, int queuePort, int tablePort)
    {
        _processes = processes;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>The operating-system process id of each service's Node.js process ("blob", "queue", "table"), for CPU accounting.</summary>
    public IReadOnlyDictionary<string, int> ProcessIds => new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["blob"] = _processes[0].Id,
        ["queue"] = _processes[1].Id,
        ["table"] = _processes[2].Id,
    };

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    /// <param name="location">
    /// A data folder to keep the data on disk, as <c>scripts/dev-services.sh</c> runs Azurite for the local host; in memory
    /// (as every test runs it) when null.
    /// </param>
    public static async Task<AzuriteProcess> StartAsync(string? location = null)
    {
        var root = Path.Combine(RepositoryPaths.NodeModules, "azurite", "dist", "src");
        if (!File.Exists(Path.Combine(root, "azurite.js")))
        {
            throw new InvalidOperationException($"Azurite is not installed under {root}: run 'npm ci' in the repository root.");
        }

        string[] storage = location is null ? ["--inMemoryPersistence"] : ["--location", location];
        var services = await Task.WhenAll(
            StartServiceAsync(root, "blob", storage),
            StartServiceAsync(root, "queue", storage),
            StartServiceAsync(root, "table", storage));
        return new AzuriteProcess([.. services.Select(s => s.Process)], services[0].Port, services[1].Port, services[2].Port);
    }

    /// <summary>Stops every service at once, as a crash would (tests of unavailable storage).</summary>
    public Task KillAsync() => Task.WhenAll(_processes.Select(p => p.KillAsync()));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }

    // Azurite names the address it bound; a connection test alone once took another Azurite's table service on the same
    // port for this blob service (every blob call then answered by the table service).
    private static Task<(ExternalProcess Process, int Port)> StartServiceAsync(string root, string service, string[] storage) =>
        ExternalProcess.StartListeningAsync(
            "azurite-" + service,
            "node",
            port => [Path.Combine(root, service, "main.js"), .. CommonArguments, .. storage, $"--{service}Host", "127.0.0.1", $"--{service}Port", port.ToString(CultureInfo.InvariantCulture)],
            port => service == "table" ? $"successfully started on 127.0.0.1:{port}" : $"successfully listens on http://127.0.0.1:{port}",
            TimeSpan.FromSeconds(30));
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
        var (process, port) = await ExternalProcess.StartListeningAsync(
            "cosmos",
            "node",
            port =>
            [
                RepositoryPaths.InRoot("scripts", "cosmos-server.cjs"), "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture),
                "--parent-pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            ],
            port => $"Ready to accept HTTPS connections at 127.0.0.1:{port}",
            TimeSpan.FromSeconds(30));
        return new CosmosServerProcess(process, port);
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
