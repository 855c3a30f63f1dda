using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ServerlessMobility.Platform.Documents;
using ServerlessMobility.CarAsAService;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.RentToOwn;
using ServerlessMobility.ServiceContracts;
using ServerlessMobility.Showroom;
using ServerlessMobility.Telemetry;
using ServerlessMobility.Workshop;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Hosting.Authentication;
using ServerlessMobility.Integrations.Notifications;
using ServerlessMobility.Storage;
using ServerlessMobility.Storage.Notifications;

namespace ServerlessMobility.Hosting;

/// <summary>
/// Registers everything the platform needs that does not depend on where it runs: both hosts call
/// this once and then add only their own adapters (local: Kestrel, broker, durable engine; Azure:
/// Durable client, Service Bus, IoT Hub).
/// </summary>
public static class PlatformServices
{
    /// <summary>The product lines both hosts run; a new product line is one more entry (docs/architecture.md, module map).</summary>
    public static IReadOnlyList<IPlatformModule> Modules { get; } = [new TelemetryModule(), new CarAsAServiceModule(), new RentToOwnModule(), new ServiceContractsModule(), new WorkshopModule(), new ShowroomModule()];

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

        // Notifications and documents, shared by every product line: e-mail over SMTP (maildev locally) or ACS,
        // SMS over ACS or a local sink, push to a local sink.
        services.AddNotifications().AddDocuments().AddNotificationAndDocumentStorage();
        foreach (var channel in services.AddNotificationChannels(builder.Configuration))
        {
            services.AddLocalMessageSink(channel);
        }

        foreach (var module in Modules)
        {
            services.AddPlatformModule(module, builder.Configuration);
        }

        services.TryAddSingleton<ServerlessMobility.Platform.Operations.OperatorTasks>();
        services.AddSingleton<CoreEndpointInvoker>();
        services.GetOrAddWorkflowRegistry();
        return builder;
    }
}
