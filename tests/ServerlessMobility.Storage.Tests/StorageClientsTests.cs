using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessMobility.Storage.AzureStorage;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Storage.Tests;

public class StorageClientsTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PrefixedResources_AreCreatedOnAzuriteUnderTheirPrefix()
    {
        var prefix = PlatformEmulators.UniquePrefix();
        await using var services = StorageServices.Create(emulators, overrides: new Dictionary<string, string?> { ["Storage:ResourcePrefix"] = prefix });
        var storage = services.GetRequiredService<StorageClients>();

        await storage.GetTable("Instances").CreateIfNotExistsAsync(Ct);
        await storage.GetQueue("Control-00").CreateIfNotExistsAsync(cancellationToken: Ct);
        await storage.GetContainer("payloads").CreateIfNotExistsAsync(cancellationToken: Ct);

        Assert.Equal(prefix + "Instances", storage.GetTable("Instances").Name);
        Assert.Equal(prefix + "-control-00", storage.GetQueue("Control-00").Name);
        Assert.True(await storage.GetQueue("Control-00").ExistsAsync(Ct));
        Assert.True(await storage.GetContainer("payloads").ExistsAsync(Ct));
    }

    [Fact]
    public async Task ConnectionString_FallsBackToAzureWebJobsStorage()
    {
        await using var services = StorageServices.Create(emulators, overrides: new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = null,
            ["AzureWebJobsStorage"] = emulators.StorageConnectionString,
        });

        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;

        Assert.Equal(emulators.StorageConnectionString, options.ConnectionString);
        Assert.Equal(emulators.Azurite.BlobPort, services.GetRequiredService<StorageClients>().Blobs.Uri.Port);
    }

    [Fact]
    public async Task InvalidPrefix_FailsValidation()
    {
        await using var services = StorageServices.Create(emulators, overrides: new Dictionary<string, string?> { ["Storage:ResourcePrefix"] = "Has-Upper" });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);
    }
}
