using Azure.Core;
using Azure.Core.Serialization;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Search.Documents.Indexes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Messaging;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.FunctionsApp.Messaging;
using ServerlessMobility.FunctionsApp.Showroom;
using ServerlessMobility.FunctionsApp.Vehicles;
using ServerlessMobility.FunctionsApp.Workflows;
using ServerlessMobility.Hosting;
using ServerlessMobility.Integrations.Payments;
using ServerlessMobility.RentToOwn.Partners;
using ServerlessMobility.Showroom.Search;

namespace ServerlessMobility.FunctionsApp;

/// <summary>
/// Everything the Functions app registers, in one place so a test can build the same worker host (without
/// running it) and resolve every function and every activity's dependencies with Azure-shaped settings.
/// </summary>
public static class FunctionsAppComposition
{
    public static FunctionsApplicationBuilder ConfigureServerlessMobilityFunctions(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddApplicationInsightsTelemetryWorkerService();
        services.ConfigureFunctionsApplicationInsights();

        // Orchestrator inputs, activity inputs and results travel as the platform writes them everywhere.
        services.Configure<WorkerOptions>(options => options.Serializer = new JsonObjectSerializer(WorkflowJson.Options));

        // The same core services the local host registers.
        builder.AddServerlessMobility();

        // Durable's client, per invocation (see InvocationDurableClient).
        services.AddScoped<InvocationDurableClient>();
        services.AddScoped<DurableTaskClient>(sp => sp.GetRequiredService<InvocationDurableClient>());

        // Azure adapters for the core's ports; identity-based connections only (no keys in settings).
        services.AddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.AddSingleton(sp => new ServiceBusClient(
            configuration["ServiceBus:FullyQualifiedNamespace"] ?? throw new InvalidOperationException("ServiceBus:FullyQualifiedNamespace is not set."),
            sp.GetRequiredService<TokenCredential>()));
        services.AddSingleton<IMessageBus, ServiceBusMessageBus>();
        services.AddRentToOwnMobileMoney(configuration);
        services.AddHttpPaymentCollector(configuration);

        services.AddHttpClient<IVehicleCommandChannel, IoTHubDirectMethodChannel>(http =>
        {
            http.BaseAddress = new Uri($"https://{configuration["IoTHub:HostName"] ?? throw new InvalidOperationException("IoTHub:HostName is not set.")}/");
            http.Timeout = TimeSpan.FromMinutes(2);
        });

        // Vehicle registration creates the device identity in IoT Hub (the local host keeps its own registry).
        services.AddHttpClient<IDeviceIdentityRegistry, IoTHubDeviceIdentityRegistry>(http =>
            http.BaseAddress = new Uri($"https://{configuration["IoTHub:HostName"] ?? throw new InvalidOperationException("IoTHub:HostName is not set.")}/"));

        // The showroom's search on Azure AI Search when a search service is configured; otherwise each instance keeps
        // its own Lucene index (right for one instance, docs/flows/showroom.md).
        if (configuration[$"{AzureAiVehicleSearch.SectionName}:Endpoint"] is { Length: > 0 } searchEndpoint)
        {
            var indexName = configuration[$"{AzureAiVehicleSearch.SectionName}:IndexName"] is { Length: > 0 } name ? name : "showroom-vehicles";
            services.AddSingleton<IVehicleSearch>(sp => new AzureAiVehicleSearch(
                new SearchIndexClient(new Uri(searchEndpoint), sp.GetRequiredService<TokenCredential>(), AzureAiVehicleSearch.ClientOptions()), indexName));
        }

        return builder;
    }
}
