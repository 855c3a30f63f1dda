using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ServerlessMobility.FunctionsApp.Tests;

/// <summary>
/// The worker host exactly as Program.cs builds it (FunctionsApplication.CreateBuilder,
/// ConfigureFunctionsWebApplication, the app's composition), with the given settings, built but never run:
/// running needs a Functions host to connect to, which cannot run here.
/// </summary>
public static class FunctionsHost
{
    /// <summary>Settings shaped like the Function App's in Azure (identity-based connections, Entra ID issuer, HTTP partners).</summary>
    public static Dictionary<string, string?> AzureShapedSettings() => new()
    {
        ["AzureWebJobsStorage__accountName"] = "smstorageprod",
        ["Storage:AccountName"] = "smstorageprod",
        ["CosmosDb:Endpoint"] = "https://sm-cosmos-prod.documents.azure.com:443/",
        ["CosmosDb:DatabaseName"] = "serverless-mobility",
        ["ServiceBus:FullyQualifiedNamespace"] = "sm-bus-prod.servicebus.windows.net",
        ["IoTHub:HostName"] = "sm-iothub-prod.azure-devices.net",
        ["Showroom:AzureAiSearch:Endpoint"] = "https://srch-sm-prod.search.windows.net",
        ["Showroom:Live:AzureSignalR:ConnectionString"] = "Endpoint=https://sigr-sm-prod.service.signalr.net;AccessKey=Y29tcG9zaXRpb24tdGVzdC1rZXk=;Version=1.0;",
        ["Auth:Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
        ["Auth:Audience"] = "api://serverless-mobility",
        ["CarAsAService:Outbound:Mode"] = "Http",
        ["CarAsAService:Outbound:PaymentsBaseUrl"] = "https://payments.example.invalid/",
        ["CarAsAService:Outbound:FactoryBaseUrl"] = "https://factory.example.invalid/",
        ["CarAsAService:Outbound:RegistrationBaseUrl"] = "https://registration.example.invalid/",
        ["RentToOwn:MobileMoney:BaseUrl"] = "https://mobile-money.example.invalid/",
        ["Payments:BaseUrl"] = "https://payments.example.invalid/",
        ["Notifications:EmailChannel"] = "Acs",
        ["Notifications:SmsChannel"] = "Acs",
        ["Notifications:Acs:Endpoint"] = "https://sm-acs-prod.communication.azure.com/",
        ["Notifications:Acs:EmailSender"] = "DoNotReply@mail.example.invalid",
        ["Security:Pii:EncryptionKey"] = Testing.PlatformEmulators.TestPiiEncryptionKey,
        ["Security:Pii:LookupKey"] = Testing.PlatformEmulators.TestPiiLookupKey,
    };

    public static IHost Build(IDictionary<string, string?> settings, string environment = "Production")
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Environment.EnvironmentName = environment;
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ConfigureFunctionsWebApplication();
        builder.ConfigureServerlessMobilityFunctions();
        return builder.Build();
    }

    public static IServiceScope Scope(this IHost host) => host.Services.CreateScope();
}
