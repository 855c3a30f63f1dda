using System.Net;
using Scalar.AspNetCore;
using ServerlessMobility.Platform;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.Platform.Simulation;
using ServerlessMobility.Platform.Workflows.Management;
using ServerlessMobility.Hosting;
using ServerlessMobility.Hosting.Authentication;
using ServerlessMobility.LocalHost.Broker;
using ServerlessMobility.LocalHost.Configuration;
using ServerlessMobility.LocalHost.Demo;
using ServerlessMobility.LocalHost.Durable;
using ServerlessMobility.LocalHost.Simulators;
using ServerlessMobility.LocalHost.Telemetry;
using ServerlessMobility.RentToOwn;

namespace ServerlessMobility.LocalHost;

/// <summary>
/// Host B: builds the local host. Everything it serves goes through the same core calls as the
/// Azure Functions app; what is local is only the wiring (Kestrel, broker, durable engine).
/// </summary>
public static class LocalHostApplication
{
    /// <param name="configure">Adjusts the builder before the app is built (tests: TestServer, settings).</param>
    /// <param name="mapAdditionalApi">Maps extra routes inside the /api group, with its conventions (tests and tools).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<RouteGroupBuilder>? mapAdditionalApi = null)
    {
        // Named after this assembly whoever calls it (tests build it from theirs): static web assets (the console) are
        // found by the application's name.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(LocalHostApplication).Assembly.GetName().Name });

        // The console's files from a build output in every environment, not only Development (ASP.NET Core's default): the
        // host run as Production against an OpenID Connect issuer serves the same console. A published host has no
        // manifest, and its files are in wwwroot instead.
        builder.WebHost.UseStaticWebAssets();
        ConfigureConfiguration(builder);
        ConfigureServices(builder);
        configure?.Invoke(builder);

        var app = builder.Build();
        var api = ConfigurePipeline(app);
        mapAdditionalApi?.Invoke(api);
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

        // A time profile sits above local.settings.json (whose sample spells out the real waits) and below the
        // environment and the command line, so any single value can still be overridden.
        if (TimeProfilePath(builder.Configuration[$"{LocalHostOptions.SectionName}:{nameof(LocalHostOptions.TimeProfile)}"]) is { } profile)
        {
            var source = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource { Path = profile, Optional = false };
            source.ResolveFileProvider();
            var environment = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
            sources.Insert(environment < 0 ? sources.Count : environment, source);
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
        builder.WebHost.ConfigureKestrel(LocalHostLimits.ConfigureKestrel);
    }

    /// <summary>The file of a time profile (TimeProfiles/{name}.json next to the host); null for none.</summary>
    public static string? TimeProfilePath(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var folder = Path.Combine(AppContext.BaseDirectory, "TimeProfiles");
        var known = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray() : [];
        return known.Contains(name, StringComparer.Ordinal)
            ? Path.Combine(folder, name + ".json")
            : throw new InvalidOperationException($"LocalHost:TimeProfile '{name}' is not a time profile; known: {string.Join(", ", known)}.");
    }

    private static void ConfigureServices(WebApplicationBuilder builder)
    {
        builder.AddServerlessMobility();
        var services = builder.Services;
        services.AddPlatformOpenApi();

        // Raw-body routes (the KYC upload) declare their body; "v1" is the document AddOpenApi() names by default.
        services.Configure<Microsoft.AspNetCore.OpenApi.OpenApiOptions>("v1", options => options.AddOperationTransformer(ServerlessMobility.LocalHost.OpenApi.RawBodyOperations.DescribeAsync));

        services.AddLocalDurableTask(builder.Configuration);

        // Compensates terminated or failed feature activations (the Functions app runs the same sweep on a timer).
        services.AddHostedService<FeatureReconcilerService>();
        services.AddHostedService<NotificationDispatchService>();
        services.AddHostedService<AuditAnchorService>();

        // The framework narrates every message at Information; its warnings and errors are what matter here.
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning);

        services.AddOptions<MqttBrokerOptions>().BindConfiguration(MqttBrokerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LocalDeviceIdentityRegistry>();
        services.AddSingleton<ServerlessMobility.Platform.Vehicles.IDeviceIdentityRegistry>(sp => sp.GetRequiredService<LocalDeviceIdentityRegistry>());
        services.AddSingleton<DirectMethodRequests>();
        services.AddSingleton<IoTHubBrokerPolicy>();
        services.AddSingleton<MqttBroker>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttBroker>());
        services.AddHealthChecks().AddCheck<MqttBrokerHealthCheck>("broker");

        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName);
        services.AddHostedService<DemoDataHostedService>();
        services.AddSingleton<DemoVehicleFleet>();
        services.AddHostedService(sp => sp.GetRequiredService<DemoVehicleFleet>());
        services.AddLocalTelemetry();
        services.AddSingleton<IDemoDataSeeder, CarAsAServiceDemoData>();

        // Rent-to-own: simulators for the payment provider, SMS and vehicle telemetry, and demo listings.
        services.AddRentToOwnSimulators();

        // The shared payments capability's provider (service-contract instalments).
        services.AddSimulatedPaymentCollector();
        services.AddSingleton<IDemoDataSeeder, RentToOwnDemoData>();
        services.AddSingleton<IDemoDataSeeder, WorkshopDemoData>();
    }

    private static RouteGroupBuilder ConfigurePipeline(WebApplication app)
    {
        app.UseLocalHostLimits();

        // The web console's files (its own wwwroot and the WebAssembly framework), before routing: a file is answered as
        // it is, and a path that is no file goes on to the API untouched.
        app.UseBlazorFrameworkFiles();
        app.UseStaticFiles();
        app.UseRouting();
        app.UsePlatformPipeline();

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

        app.MapDurableManagementApi();
        var api = app.MapServerlessMobilityApi();

        // The web console's pages (docs/console.md): index.html at each address the console routes to itself, read off its
        // components, and nowhere else, so an unknown API path stays a problem answer. A catch-all route would turn a wrong
        // method on an unknown API path into a 405. Anonymous: the console is public code, the API behind it is not.
        foreach (var page in WebConsolePages.Routes)
        {
            app.MapFallbackToFile(page, "index.html").AllowAnonymous();
        }

        app.MapWebConsoleConfig();
        if (app.Environment.IsDevelopment())
        {
            // Script, switch and read the partner simulators (docs/local-development.md); only those wired here.
            api.MapSimulatorControl(app.Services);
        }

        return api;
    }
}
