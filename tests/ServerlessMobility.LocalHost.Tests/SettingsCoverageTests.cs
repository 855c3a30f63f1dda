using System.Reflection;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// Every option the code binds (a class with a <c>SectionName</c> constant) has each of its settings
/// in local.settings.sample.json, so the sample stays the complete list a newcomer or the Azure
/// deployment needs.
/// </summary>
public class SettingsCoverageTests
{
    /// <summary>Settings that are deliberately absent from the sample, with the reason.</summary>
    private static readonly Dictionary<string, string> NotInSample = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Storage__ConnectionString"] = "the sample sets AzureWebJobsStorage, which the storage options fall back to",
        ["Storage__AccountName"] = "Azure only: the managed-identity alternative to a connection string",
        ["Auth__DevTokenLifetime"] = "has a sensible default; rarely changed",
        ["Auth__RequireHttpsMetadata"] = "only a loopback test issuer turns it off",
        ["Tenants__Default"] = "an object: the sample lists its fields (Tenants__Default__Name, ...)",
        ["Workshop__Approval"] = "an object: the sample lists its fields (Workshop__Approval__ReminderInterval, ...)",
        ["Workshop__Maintenance"] = "an object: the sample lists its fields (Workshop__Maintenance__ServiceInterval, ...)",
        ["Workshop__Media"] = "an object: the sample lists its fields (Workshop__Media__UploadLinkLifetime, ...)",
        ["Workshop__TaxRates"] = "per-country rates keyed by ISO country code (Workshop__TaxRates__DE, ...), defaults in code (docs/flows/workshop.md)",
        ["Tenants__Profiles"] = "per-tenant data keyed by tenant id (Tenants__Profiles__{tenantId}__Name, ...), see docs/notifications-and-documents.md",
    };

    [Fact]
    public void SampleSettings_CoverEveryBoundOption()
    {
        var sample = SampleKeys();
        var missing = BoundOptionKeys()
            .Where(key => !sample.Contains(key) && !NotInSample.ContainsKey(key))
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Empty(missing);
    }

    [Fact]
    public void BoundOptionKeys_FindsTheKnownSections()
    {
        // Guards the scan itself: if it found nothing, the coverage test above could never fail.
        var keys = BoundOptionKeys();

        Assert.Contains("CosmosDb__Endpoint", keys);
        Assert.Contains("Mqtt__Port", keys);
        Assert.Contains("Security__Pii__EncryptionKey", keys);
    }

    [Fact]
    public void SampleSettings_HoldNoRealSecrets()
    {
        var values = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.InRoot("local.settings.sample.json"))).RootElement.GetProperty("Values");
        var emulatorKeys = new[] { AzuriteProcess.AccountKey, CosmosServerProcess.Key };

        foreach (var property in values.EnumerateObject())
        {
            var value = property.Value.GetString() ?? string.Empty;
            var withoutEmulatorKeys = emulatorKeys.Aggregate(value, (v, key) => v.Replace(key, string.Empty, StringComparison.Ordinal));
            Assert.DoesNotMatch("[A-Za-z0-9+/]{40,}={0,2}", withoutEmulatorKeys);
        }
    }

    private static HashSet<string> SampleKeys()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryPaths.InRoot("local.settings.sample.json")));
        return document.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    private static HashSet<string> BoundOptionKeys()
    {
        var assemblies = AppDomain.CurrentDomain.GetAssemblies()
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "ServerlessMobility.*.dll").Select(Assembly.LoadFrom))
            .Where(a => a.GetName().Name?.StartsWith("ServerlessMobility.", StringComparison.Ordinal) == true && !a.GetName().Name!.EndsWith(".Tests", StringComparison.Ordinal))
            .DistinctBy(a => a.GetName().Name);
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            var section = type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
            if (section is null)
            {
                continue;
            }

            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                keys.Add($"{section.Replace(":", "__", StringComparison.Ordinal)}__{property.Name}");
            }
        }

        return keys;
    }
}
