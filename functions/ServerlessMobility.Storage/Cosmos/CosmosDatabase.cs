using System.Collections.Concurrent;
using System.Net.Security;
using Azure.Identity;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Options;

namespace ServerlessMobility.Storage.Cosmos;

/// <summary>
/// The Cosmos DB client in Gateway mode (the only mode the local server speaks, and a sound choice
/// for a Functions app), and the containers the features registered, created on first use.
/// </summary>
public sealed class CosmosDatabase : IDisposable
{
    private readonly CosmosOptions _options;
    private readonly IReadOnlyDictionary<string, CosmosContainerDefinition> _definitions;
    private readonly ConcurrentDictionary<string, Lazy<Task<Container>>> _containers = new(StringComparer.Ordinal);
    private readonly Lazy<Task<Database>> _database;

    public CosmosDatabase(IOptions<CosmosOptions> options, IEnumerable<CosmosContainerDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _definitions = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);
        Client = CreateClient(_options);
        _database = new Lazy<Task<Database>>(async () =>
            (await Client.CreateDatabaseIfNotExistsAsync(_options.DatabaseName).ConfigureAwait(false)).Database);
    }

    public CosmosClient Client { get; }

    public string DatabaseName => _options.DatabaseName;

    public IReadOnlyCollection<CosmosContainerDefinition> Definitions => (IReadOnlyCollection<CosmosContainerDefinition>)_definitions.Values;

    /// <summary>Returns the container, creating the database and container if they do not exist yet.</summary>
    public Task<Container> GetContainerAsync(string name)
    {
        if (!_definitions.TryGetValue(name, out var definition))
        {
            throw new InvalidOperationException($"Cosmos container '{name}' is not registered.");
        }

        var lazy = _containers.GetOrAdd(name, _ => new Lazy<Task<Container>>(() => CreateContainerAsync(definition)));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failed creation (the server was down) must not poison every later call.
            _containers.TryRemove(new KeyValuePair<string, Lazy<Task<Container>>>(name, lazy));
        }

        return task;
    }

    /// <summary>Creates the database and every registered container (start-up and demo seeding).</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var name in _definitions.Keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await GetContainerAsync(name).ConfigureAwait(false);
        }
    }

    public void Dispose() => Client.Dispose();

    private async Task<Container> CreateContainerAsync(CosmosContainerDefinition definition)
    {
        var database = await _database.Value.ConfigureAwait(false);
        // Read first: asked to create a container that exists with another key, the SDK throws an
        // ArgumentException that says nothing about what to do.
        ContainerProperties properties;
        try
        {
            properties = (await database.GetContainer(definition.Name).ReadContainerAsync().ConfigureAwait(false)).Resource;
        }
        catch (CosmosException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            properties = (await database.CreateContainerIfNotExistsAsync(new ContainerProperties(definition.Name, TenantPartition.Paths)).ConfigureAwait(false)).Resource;
        }

        var paths = properties.PartitionKeyPaths ?? [properties.PartitionKeyPath];
        if (!paths.SequenceEqual(TenantPartition.Paths, StringComparer.Ordinal))
        {
            // A container's partition key cannot change in place; writing with the wrong key fails on every
            // call, so say it once, at the first use, with what to do.
            throw new InvalidOperationException(
                $"Cosmos container '{definition.Name}' is partitioned by {string.Join(", ", paths)}; the platform needs {string.Join(", ", TenantPartition.Paths)}. " +
                "Copy its documents into a new container with that key (docs/architecture.md, \"Storage\"); locally, delete .local-data/cosmos.");
        }

        return database.GetContainer(definition.Name);
    }

    private static CosmosClient CreateClient(CosmosOptions options)
    {
        var clientOptions = new CosmosClientOptions
        {
            ConnectionMode = ConnectionMode.Gateway,
            ApplicationName = "ServerlessMobility",
            UseSystemTextJsonSerializerWithOptions = CosmosJson.Options,
            // The local server has one region and no replicas; endpoint discovery only slows start-up.
            LimitToEndpoint = true,
            RequestTimeout = TimeSpan.FromSeconds(10),
        };

        if (options.AcceptSelfSignedCertificate)
        {
            clientOptions.HttpClientFactory = () => new HttpClient(new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
#pragma warning disable CA5359 // deliberately accepts the local server's self-signed certificate; off in Azure
                    RemoteCertificateValidationCallback = (_, _, _, _) => true,
#pragma warning restore CA5359
                },
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = 256,
            });
        }

        var endpoint = options.Endpoint ?? throw new OptionsValidationException(CosmosOptions.SectionName, typeof(CosmosOptions), ["CosmosDb:Endpoint is required."]);
        return string.IsNullOrEmpty(options.Key)
            ? new CosmosClient(endpoint.ToString(), new DefaultAzureCredential(), clientOptions)
            : new CosmosClient(endpoint.ToString(), options.Key, clientOptions);
    }
}
