using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ServerlessMobility.Core.CarAsAService;
using ServerlessMobility.Core.Documents;
using ServerlessMobility.Core.Hosting;
using ServerlessMobility.Core.Notifications;
using ServerlessMobility.Core.Http;
using ServerlessMobility.Core.RentToOwn.Collection;
using ServerlessMobility.Core.Security;
using ServerlessMobility.Core.Telemetry;
using ServerlessMobility.Core.Workflows;
using ServerlessMobility.Hosting.Authentication;
using ServerlessMobility.Integrations.CarAsAService;
using ServerlessMobility.Integrations.Notifications;
using ServerlessMobility.Storage;
using ServerlessMobility.Storage.CarAsAService;
using ServerlessMobility.Storage.Notifications;
using ServerlessMobility.Storage.RentToOwn;
using ServerlessMobility.Storage.Telemetry;

namespace ServerlessMobility.Hosting;

/// <summary>
/// Registers everything the platform needs that does not depend on where it runs: both hosts call
/// this once and then add only their own adapters (local: Kestrel, broker, durable engine; Azure:
/// Durable client, Service Bus, IoT Hub).
/// </summary>
public static class PlatformServices
{
    public static IHostApplicationBuilder AddServerlessMobility(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();

        // Binding failures reach the exception handler in every environment, so they are told in API terms
        // (JSON path, JSON type) rather than as a bare 400 (Production's default) or .NET's words.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            options.SerializerOptions.MaxDepth = 32;

            // No "NaN"/"Infinity" in request bodies: every number a request carries must be finite.
            options.SerializerOptions.Converters.Add(new FiniteDoubleConverter());
            options.SerializerOptions.Converters.Add(new FiniteSingleConverter());
        });

        builder.AddPlatformAuthentication();
        services.AddPlatformSecurity();
        services.AddPlatformStorage();
        services.AddTelemetryStorage().AddTelemetryPipeline();

        // Notifications and documents, shared by every product line: e-mail over SMTP (maildev locally) or ACS,
        // SMS over ACS or a local sink, push to a local sink.
        services.AddNotifications().AddDocuments().AddNotificationAndDocumentStorage();
        foreach (var channel in services.AddNotificationChannels(builder.Configuration))
        {
            services.AddLocalMessageSink(channel);
        }

        services.AddCarAsAService().AddCarAsAServiceStorage().AddCarAsAServiceIntegrations(builder.Configuration);
        // Rent-to-own reads vehicle motion from the telemetry slice in both hosts.
        services.AddSingleton<IVehicleStateReader, TelemetryVehicleStateReader>();
        services.AddRentToOwnCore().AddRentToOwnStorage();
        services.TryAddSingleton<Core.Operations.OperatorTasks>();
        services.AddSingleton<CoreEndpointInvoker>();
        services.GetOrAddWorkflowRegistry();
        return builder;
    }
}
