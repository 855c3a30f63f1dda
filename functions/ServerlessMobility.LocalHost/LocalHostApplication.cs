using System.Net;
using Scalar.AspNetCore;
using ServerlessMobility.Core;
using ServerlessMobility.Core.CarAsAService;
using ServerlessMobility.Core.Http;
using ServerlessMobility.Core.Security;
using ServerlessMobility.LocalHost.Authentication;
using ServerlessMobility.LocalHost.Broker;
using ServerlessMobility.LocalHost.Configuration;
using ServerlessMobility.LocalHost.Demo;
using ServerlessMobility.Integrations.CarAsAService;
using ServerlessMobility.Storage;
using ServerlessMobility.Storage.CarAsAService;

namespace ServerlessMobility.LocalHost;

/// <summary>
/// Host B: builds the local host. Everything it serves goes through the same core calls as the
/// Azure Functions app; what is local is only the wiring (Kestrel, broker, durable engine).
/// </summary>
public static class LocalHostApplication
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        ConfigureConfiguration(builder);
        ConfigureServices(builder);
        configure?.Invoke(builder);

        var app = builder.Build();
        ConfigurePipeline(app);
        return app;
    }

    private static void ConfigureConfiguration(WebApplicationBuilder builder)
    {
        // local.settings.json sits below environment variables and the command line, as the
        // Functions host treats it, so CI and tests can override any value.
        var settingsFile = builder.Configuration["LocalSettingsPath"]
            ?? LocalSettingsConfigurationExtensions.FindLocalSettingsFile(Directory.GetCurrentDirectory());
        var sources = builder.Configuration.Sources;
        var insertAt = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
        if (settingsFile is not null)
        {
            sources.Insert(insertAt < 0 ? 0 : insertAt, new LocalSettingsConfigurationSource(settingsFile));
        }


        var urls = builder.Configuration.GetSection(LocalHostOptions.SectionName).Get<LocalHostOptions>()?.Urls ?? new LocalHostOptions().Urls;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var host = new Uri(url.Replace("*", "invalid", StringComparison.Ordinal)).Host;
            if (host != "localhost" && !(IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)))
            {
                throw new InvalidOperationException($"LocalHost:Urls must be loopback addresses; '{url}' is not.");
            }
        }

        builder.WebHost.UseUrls(urls);
    }

    private static void ConfigureServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
        });
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            options.SerializerOptions.MaxDepth = 32;
        });
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "ServerlessMobility API";
            document.Info.Description = "Car-as-a-Service, rent-to-own, service contracts, showroom and workshop APIs.";
            return Task.CompletedTask;
        }));

        builder.AddPlatformAuthentication();
        services.AddPlatformStorage();

        services.AddOptions<MqttBrokerOptions>().BindConfiguration(MqttBrokerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<MqttBroker>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttBroker>());
        services.AddHealthChecks().AddCheck<MqttBrokerHealthCheck>("broker");

        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        services.AddHostedService<DemoDataHostedService>();

        services.AddCarAsAService().AddCarAsAServiceStorage().AddCarAsAServiceIntegrations(builder.Configuration);
        services.AddSingleton<IDemoDataSeeder, CarAsAServiceDemoData>();
    }

    private static void ConfigurePipeline(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapOpenApi("/api/openapi.json").AllowAnonymous();
        app.MapScalarApiReference("/api/docs", options =>
        {
            options.WithTitle("ServerlessMobility API");
            options.WithOpenApiRoutePattern("/api/openapi.json");
        }).AllowAnonymous();

        if (app.Environment.IsDevelopment())
        {
            app.MapDevTokens();
        }

        var api = app.MapServerlessMobilityApi();
        api.MapGet("/me", (HttpContext http) =>
        {
            var user = CurrentUser.FromPrincipal(http.User);
            return TypedResults.Ok(new MeResponse(user.Subject, user.TenantId, [.. user.Roles.Order(StringComparer.Ordinal)]));
        }).WithName("GetMe").WithTags("Identity");
    }
}

public sealed record MeResponse(string Subject, string TenantId, IReadOnlyList<string> Roles);
