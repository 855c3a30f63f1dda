using ServerlessMobility.Infrastructure.Tests.Bicep;

namespace ServerlessMobility.Infrastructure.Tests;

/// <summary>Identity-only access: no shared keys, local auth off, the app's identity holds the roles it needs.</summary>
public class DeploymentSecurityTests(CompiledInfrastructure infrastructure)
{
    [Fact]
    public void StorageAccount_SharedKeyAccess_IsDisallowed()
    {
        var storage = ArmTemplate.Single(infrastructure.Main, "Microsoft.Storage/storageAccounts");

        Assert.False(storage.Properties?["allowSharedKeyAccess"]?.GetValue<bool>() ?? true, "allowSharedKeyAccess must be false.");
        Assert.False(storage.Properties?["allowBlobPublicAccess"]?.GetValue<bool>() ?? true, "allowBlobPublicAccess must be false.");
    }

    [Theory]
    [InlineData("Microsoft.DocumentDB/databaseAccounts", "disableLocalAuth")]
    [InlineData("Microsoft.ServiceBus/namespaces", "disableLocalAuth")]
    [InlineData("Microsoft.Insights/components", "DisableLocalAuth")]
    public void Service_LocalAuthentication_IsDisabled(string type, string property)
    {
        // The Function App module also declares the App Insights component as `existing` (no properties).
        var resources = ArmTemplate.AllResources(infrastructure.Main)
            .Where(r => r.Type == type && r.Node["existing"]?.GetValue<bool>() != true)
            .ToArray();

        Assert.NotEmpty(resources);
        Assert.All(resources, r => Assert.True(r.Properties?[property]?.GetValue<bool>(), $"{type}: {property} must be true."));
    }

    [Fact]
    public void FunctionApp_IdentityAndDeploymentStorage_AreSystemAssigned()
    {
        var app = ArmTemplate.Single(infrastructure.Main, "Microsoft.Web/sites");

        Assert.Equal("SystemAssigned", app.Node["identity"]?["type"]?.GetValue<string>());
        var deployment = app.Properties?["functionAppConfig"]?["deployment"]?["storage"];
        Assert.Equal("blobContainer", deployment?["type"]?.GetValue<string>());
        Assert.Equal("SystemAssignedIdentity", deployment?["authentication"]?["type"]?.GetValue<string>());
    }

    [Fact]
    public void FunctionApp_Plan_IsFlexConsumption()
    {
        var plan = ArmTemplate.Single(infrastructure.Main, "Microsoft.Web/serverfarms");

        Assert.Equal("FlexConsumption", plan.Node["sku"]?["tier"]?.GetValue<string>());
        Assert.Equal("FC1", plan.Node["sku"]?["name"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner")]
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor")]
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor")]
    [InlineData("69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", "Azure Service Bus Data Sender")]
    [InlineData("4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", "Azure Service Bus Data Receiver")]
    [InlineData("4fc6c259-987e-4a07-842e-c321cc9d413f", "IoT Hub Data Contributor")]
    [InlineData("4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User")]
    [InlineData("3913510d-42f4-4e42-8a64-420c390055eb", "Monitoring Metrics Publisher")]
    [InlineData("00000000-0000-0000-0000-000000000002", "Cosmos DB Built-in Data Contributor")]
    public void RoleAssignments_AppIdentity_HoldsRole(string roleDefinitionId, string roleName)
    {
        var roles = ArmTemplate.Modules(infrastructure.Main).Single(m => m.Name == "roles");

        Assert.True(roles.Template.ToJsonString().Contains(roleDefinitionId, StringComparison.Ordinal), $"roles.bicep does not assign {roleName} ({roleDefinitionId}).");
    }

    [Fact]
    public void KeyVault_IsRbacWithSoftDelete_AndPurgeProtectionInProduction()
    {
        var vault = ArmTemplate.Single(infrastructure.Main, "Microsoft.KeyVault/vaults");
        var keyVaultModule = ArmTemplate.Modules(infrastructure.Main).Single(m => m.Name == "keyvault");

        Assert.True(vault.Properties?["enableRbacAuthorization"]?.GetValue<bool>());
        Assert.True(vault.Properties?["enableSoftDelete"]?.GetValue<bool>());
        // main passes `environmentName == 'prod'`.
        Assert.Equal("[variables('isProduction')]", keyVaultModule.ParameterValues?["enablePurgeProtection"]?["value"]?.GetValue<string>());
        Assert.Equal("[equals(parameters('environmentName'), 'prod')]", ArmTemplate.Modules(infrastructure.Main).First().Variable("isProduction").GetValue<string>());
    }

    [Fact]
    public void SignalR_IsServerless_AndItsConnectionStringGoesOnlyToKeyVault()
    {
        var signalR = ArmTemplate.Single(infrastructure.Main, "Microsoft.SignalRService/signalR");
        var features = signalR.Properties?["features"]?.AsArray() ?? [];
        var secret = ArmTemplate.AllResources(infrastructure.Main).Single(r => r.Type == "Microsoft.KeyVault/vaults/secrets" && r.Module.Name == "signalr");

        Assert.Contains(features, f => f?["flag"]?.GetValue<string>() == "ServiceMode" && f["value"]?.GetValue<string>() == "Serverless");
        Assert.Contains("primaryConnectionString", secret.Properties?["value"]?.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("signalr-connection", secret.Module.ResolveParameter("connectionSecretName").ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("listKeys", secret.Module.Template["outputs"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void IotHub_DeviceTelemetry_IsRoutedToTheBuiltInEndpointWithTheAppsConsumerGroup()
    {
        var hub = ArmTemplate.Single(infrastructure.Main, "Microsoft.Devices/IotHubs");
        var routes = hub.Properties?["routing"]?["routes"]?.AsArray() ?? [];
        var consumerGroup = ArmTemplate.Single(infrastructure.Main, "Microsoft.Devices/IotHubs/eventHubEndpoints/ConsumerGroups");

        Assert.Contains(routes, r => r?["source"]?.GetValue<string>() == "DeviceMessages"
            && r["endpointNames"]!.AsArray().Any(e => e?.GetValue<string>() == "events"));
        Assert.Equal("serverless-mobility", consumerGroup.Module.ResolveParameter("consumerGroupName").GetValue<string>());
    }

    [Fact]
    public void ServiceBus_Topics_AreThePlatformTopics()
    {
        var serviceBus = ArmTemplate.Modules(infrastructure.Main).Single(m => m.Name == "servicebus");
        var topics = ArmTemplate.Modules(infrastructure.Main).First().Variable("serviceBusTopics").AsObject()
            .Select(p => p.Value!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["integration-events", "payments", "risk-events"], topics);
        Assert.Contains(serviceBus.Resources, r => r.Type == "Microsoft.ServiceBus/namespaces/topics/subscriptions");
    }

    [Theory]
    [MemberData(nameof(EnvironmentNames))]
    public void ParameterFile_Environment_MatchesItsFileName(string environment)
    {
        var parameters = infrastructure.Parameters(environment)["parameters"]!.AsObject();

        Assert.Equal(environment, parameters["environmentName"]?["value"]?.GetValue<string>());
        var mainParameters = infrastructure.Main["parameters"]!.AsObject();
        Assert.All(parameters, p => Assert.True(mainParameters.ContainsKey(p.Key), $"{environment}.bicepparam sets unknown parameter {p.Key}."));
    }

    public static TheoryData<string> EnvironmentNames() => [.. CompiledInfrastructure.Environments];

    [Fact]
    public void ProductionParameters_UseAutoscaleCosmosAndStandardIotHub()
    {
        var parameters = infrastructure.Parameters("prod")["parameters"]!.AsObject();

        Assert.Equal("Autoscale", parameters["cosmosCapacityMode"]?["value"]?.GetValue<string>());
        Assert.StartsWith("S", parameters["iotHubSku"]?["value"]?.GetValue<string>(), StringComparison.Ordinal);
    }
}
