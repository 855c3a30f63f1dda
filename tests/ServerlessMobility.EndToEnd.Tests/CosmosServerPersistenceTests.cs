using System.Globalization;
using Microsoft.Azure.Cosmos;
using ServerlessMobility.Testing;

namespace ServerlessMobility.EndToEnd.Tests;

/// <summary>
/// scripts/cosmos-server.cjs keeps the local Cosmos data in a snapshot file, so restarting the local
/// platform (the README's run command) keeps it.
/// </summary>
public class CosmosServerPersistenceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Note(string Id, string TenantId, string Text);

    [Fact]
    public async Task Restart_WithDataFile_KeepsDatabasesContainersAndItems()
    {
        var dataFile = Path.Combine(Path.GetTempPath(), $"cosmos-{Guid.NewGuid():N}", "cosmos.json");
        var port = FreeTcpPort.Next();
        try
        {
            await using (var first = await StartAsync(port, dataFile))
            {
                using var client = CreateClient(port);
                var database = (await client.CreateDatabaseIfNotExistsAsync("persist", cancellationToken: Ct)).Database;
                var container = (await database.CreateContainerIfNotExistsAsync("notes", "/tenantId", cancellationToken: Ct)).Container;
                await container.CreateItemAsync(new Note("n-1", "t-1", "kept across restarts"), new PartitionKey("t-1"), cancellationToken: Ct);
                await first.StopAsync(TimeSpan.FromSeconds(10));
            }

            Assert.True(File.Exists(dataFile));
            await using var second = await StartAsync(port, dataFile);
            using var restarted = CreateClient(port);
            var read = await restarted.GetContainer("persist", "notes").ReadItemAsync<Note>("n-1", new PartitionKey("t-1"), cancellationToken: Ct);

            Assert.Equal("kept across restarts", read.Resource.Text);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dataFile)!, recursive: true);
        }
    }

    private static async Task<ExternalProcess> StartAsync(int port, string dataFile)
    {
        var process = ExternalProcess.Start("cosmos", "node",
            [RepositoryPaths.InRoot("scripts", "cosmos-server.cjs"), "--port", port.ToString(CultureInfo.InvariantCulture), "--data", dataFile]);
        await FreeTcpPort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30), () => process.HasExited);
        return process;
    }

    private static CosmosClient CreateClient(int port) => new(
        $"https://127.0.0.1:{port}/",
        CosmosServerProcess.Key,
        new CosmosClientOptions
        {
            ConnectionMode = ConnectionMode.Gateway,
            LimitToEndpoint = true,
            UseSystemTextJsonSerializerWithOptions = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web),
#pragma warning disable CA5359 // the local server's self-signed certificate, in a test
            ServerCertificateCustomValidationCallback = (_, _, _) => true,
#pragma warning restore CA5359
        });
}
