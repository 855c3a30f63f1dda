using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Azure.Devices;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessMobility.Core.Messaging;
using ServerlessMobility.Core.Vehicles;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.FunctionsApp.Messaging;
using ServerlessMobility.FunctionsApp.Vehicles;
using ServerlessMobility.FunctionsApp.Workflows;
using ServerlessMobility.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddApplicationInsightsTelemetryWorkerService();

// The same core services the local host registers.
builder.AddServerlessMobility();

// Azure adapters for the core's ports; identity-based connections only.
var configuration = builder.Configuration;
builder.Services.AddSingleton(_ => new ServiceBusClient(configuration["ServiceBus:fullyQualifiedNamespace"], new DefaultAzureCredential()));
builder.Services.AddSingleton<IMessageBus, ServiceBusMessageBus>();
builder.Services.AddSingleton(_ => ServiceClient.Create(configuration["IoTHub:HostName"], new DefaultAzureCredential()));
builder.Services.AddSingleton<IVehicleCommandChannel, IoTHubVehicleCommandChannel>();
builder.Services.AddSingleton<DurableWorkflowRunner>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<IWorkflowClient>(sp => new DurableWorkflowClient(
    sp.GetRequiredService<Microsoft.AspNetCore.Http.IHttpContextAccessor>().HttpContext?.Items[typeof(Microsoft.DurableTask.Client.DurableTaskClient)] as Microsoft.DurableTask.Client.DurableTaskClient
    ?? throw new InvalidOperationException("The workflow client is bound per HTTP function ([DurableClient]); it is not available here.")));

builder.Build().Run();
