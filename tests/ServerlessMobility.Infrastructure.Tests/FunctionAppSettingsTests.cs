using System.Text.Json.Nodes;
using ServerlessMobility.Infrastructure.Tests.Bicep;

namespace ServerlessMobility.Infrastructure.Tests;

public class FunctionAppSettingsTests(CompiledInfrastructure infrastructure)
{
    [Fact]
    public void AppSettings_EverySettingTheCodeReads_IsSetOnTheFunctionApp()
    {
        var settings = FunctionAppSettings.Of(infrastructure.Main);

        var missing = FunctionAppSettings.SampleKeys()
            .Where(key => !FunctionAppSettings.LocalOnly.ContainsKey(key))
            .Where(key => !IsSetInAzure(key))
            .ToArray();

        Assert.True(missing.Length == 0,
            $"local.settings.sample.json has keys the Function App does not set: {string.Join(", ", missing)}. " +
            "Add them to infra/modules/functionapp.bicep (appSettings), or to FunctionAppSettings.LocalOnly with the reason.");
    }

    private bool IsSetInAzure(string key)
    {
        if (!FunctionAppSettings.ReplacedInAzure.TryGetValue(key, out var replacement))
        {
            return FunctionAppSettings.Of(infrastructure.Main).ContainsKey(key);
        }

        if (replacement.StartsWith("functionAppConfig.", StringComparison.Ordinal))
        {
            // A property of the site on Flex Consumption, e.g. functionAppConfig.runtime.name.
            JsonNode? node = ArmTemplate.Single(infrastructure.Main, "Microsoft.Web/sites").Properties;
            foreach (var part in replacement.Split('.'))
            {
                node = node?[part];
            }

            return node is not null;
        }

        return FunctionAppSettings.Of(infrastructure.Main).ContainsKey(replacement);
    }

    [Fact]
    public void AppSettings_LocalOnlyKeys_AreNotSetInAzure()
    {
        var settings = FunctionAppSettings.Of(infrastructure.Main);

        var present = FunctionAppSettings.LocalOnly.Keys.Concat(FunctionAppSettings.ReplacedInAzure.Keys).Where(settings.ContainsKey).ToArray();

        Assert.Empty(present);
    }

    [Fact]
    public void Exclusions_EveryListedKey_IsStillInTheSample()
    {
        var sample = FunctionAppSettings.SampleKeys().ToHashSet(StringComparer.Ordinal);

        var stale = FunctionAppSettings.LocalOnly.Keys.Concat(FunctionAppSettings.ReplacedInAzure.Keys).Where(k => !sample.Contains(k)).ToArray();

        Assert.Empty(stale);
    }

    [Fact]
    public void AppSettings_Values_HoldNoKeysOrConnectionStringsWithSecrets()
    {
        var leaks = FunctionAppSettings.SecretLeaks(FunctionAppSettings.Of(infrastructure.Main));

        Assert.Empty(leaks);
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=st;AccountKey=abc==;EndpointSuffix=core.windows.net")]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=abc=")]
    [InlineData("[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2025-06-01').keys[0].value]")]
    [InlineData("[format('Endpoint={0};SharedAccessKey={1}', parameters('endpoint'), reference('hub').listKeys().value[0].primaryKey)]")]
    public void SecretLeaks_ValueWithAKey_IsReported(string value)
    {
        var leaks = FunctionAppSettings.SecretLeaks(new Dictionary<string, string> { ["Bad"] = value });

        Assert.Single(leaks);
    }

    [Fact]
    public void SecretLeaks_IdentityBasedAndKeyVaultValues_AreNotReported()
    {
        var leaks = FunctionAppSettings.SecretLeaks(new Dictionary<string, string>
        {
            ["AzureWebJobsStorage__accountName"] = "[parameters('storageAccountName')]",
            ["IoTHubEvents"] = "[format('@Microsoft.KeyVault(VaultName={0};SecretName={1})', parameters('keyVaultName'), 'iothub-events-connection')]",
        });

        Assert.Empty(leaks);
    }

    [Fact]
    public void AppSettings_SecretValues_AreKeyVaultReferences()
    {
        var settings = FunctionAppSettings.Of(infrastructure.Main);

        Assert.All(FunctionAppSettings.KeyVaultReferenced, key =>
        {
            Assert.True(settings.TryGetValue(key, out var value), $"{key} is not set.");
            Assert.True(FunctionAppSettings.IsKeyVaultReference(value!), $"{key} = {value} is not a Key Vault reference.");
        });
    }

    [Fact]
    public void AppSettings_ConnectionsToAzureServices_AreIdentityBased()
    {
        var settings = FunctionAppSettings.Of(infrastructure.Main);

        Assert.Contains("AzureWebJobsStorage__accountName", settings.Keys);
        Assert.Contains("Storage__AccountName", settings.Keys);
        Assert.Contains("ServiceBus__fullyQualifiedNamespace", settings.Keys);
        Assert.Contains("IoTHub__HostName", settings.Keys);
        Assert.Equal("Authorization=AAD", settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Equal("false", settings["CosmosDb__AcceptSelfSignedCertificate"]);
        Assert.DoesNotContain("AzureWebJobsStorage", settings.Keys);
        Assert.DoesNotContain("CosmosDb__Key", settings.Keys);
    }

    [Theory]
    [InlineData("FUNCTIONS_EXTENSION_VERSION")]
    [InlineData("FUNCTIONS_WORKER_RUNTIME")]
    [InlineData("FUNCTIONS_WORKER_RUNTIME_VERSION")]
    [InlineData("WEBSITE_RUN_FROM_PACKAGE")]
    [InlineData("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING")]
    [InlineData("WEBSITE_CONTENTSHARE")]
    [InlineData("SCM_DO_BUILD_DURING_DEPLOYMENT")]
    [InlineData("WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT")]
    public void AppSettings_SettingsFlexConsumptionRejects_AreAbsent(string key)
    {
        // Flex Consumption configures these through functionAppConfig (runtime, scale, deployment).
        Assert.DoesNotContain(key, FunctionAppSettings.Of(infrastructure.Main).Keys);
    }

    [Fact]
    public void FunctionApp_Runtime_IsTheSampleWorkerRuntimeOnDotNet10()
    {
        var app = ArmTemplate.Single(infrastructure.Main, "Microsoft.Web/sites");
        var runtime = app.Properties?["functionAppConfig"]?["runtime"];

        Assert.Equal(FunctionAppSettings.SampleValue("FUNCTIONS_WORKER_RUNTIME"), runtime?["name"]?.GetValue<string>());
        Assert.Equal("10.0", runtime?["version"]?.GetValue<string>());
    }
}
