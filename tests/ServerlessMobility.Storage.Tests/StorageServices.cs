using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Storage.Tests;

/// <summary>A service provider with the storage adapters configured for the shared emulators.</summary>
internal static class StorageServices
{
    public static ServiceProvider Create(PlatformEmulators emulators, Action<IServiceCollection>? configure = null, IDictionary<string, string?>? overrides = null)
    {
        var settings = emulators.Settings();
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        services.AddPlatformStorage();
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
