using ServerlessMobility.Platform.Security;
using ServerlessMobility.Hosting.Authentication;
using ServerlessMobility.Storage.Cosmos;

namespace ServerlessMobility.LocalHost.Demo;

public sealed class DemoOptions
{
    public const string SectionName = "Demo";

    /// <summary>Seed demo data at start-up (the README's run command turns it on).</summary>
    public bool Seed { get; set; }

    public string TenantId { get; set; } = "demo-dealership";

    /// <summary>
    /// Drive the demo vehicles in-process over the embedded broker (telemetry every
    /// <see cref="DriveInterval"/>, direct methods answered), so the run command shows live state.
    /// </summary>
    public bool DriveVehicles { get; set; }

    public TimeSpan DriveInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>Adds one slice of demo data; seeders must be idempotent because every start runs them.</summary>
public interface IDemoDataSeeder
{
    Task SeedAsync(DemoOptions options, CancellationToken cancellationToken);
}

/// <summary>
/// Creates the Cosmos database and containers, runs every feature's seeder, and prints ready-made
/// Development tokens for the demo users so the API can be tried at once from /api/docs.
/// </summary>
public sealed partial class DemoDataHostedService(
    Microsoft.Extensions.Options.IOptions<DemoOptions> options,
    CosmosDatabase cosmos,
    IEnumerable<IDemoDataSeeder> seeders,
    IServiceProvider services,
    IHostEnvironment environment,
    ILogger<DemoDataHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value;
        if (!demo.Seed)
        {
            return;
        }

        await cosmos.EnsureCreatedAsync(stoppingToken);
        foreach (var seeder in seeders)
        {
            await seeder.SeedAsync(demo, stoppingToken);
        }

        if (environment.IsDevelopment())
        {
            var issuer = services.GetRequiredService<DevTokenIssuer>();
            foreach (var (subject, roles) in DemoUsers)
            {
                LogDemoToken(logger, subject, string.Join(',', roles), issuer.Issue(subject, demo.TenantId, roles));
            }
        }

        LogSeeded(logger, demo.TenantId);
    }

    private static readonly (string Subject, string[] Roles)[] DemoUsers =
    [
        ("demo-staff", [PlatformRoles.DealerStaff]),
        ("demo-customer", [PlatformRoles.Customer]),
        ("demo-operator", [PlatformRoles.Operator]),
        ("demo-admin", [PlatformRoles.Admin, PlatformRoles.DealerAdmin]),
        ("demo-advisor", [PlatformRoles.WorkshopStaff]),
    ];

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo token for {Subject} ({Roles}): {Token}")]
    private static partial void LogDemoToken(ILogger logger, string subject, string roles, string token);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data ready for tenant {TenantId}")]
    private static partial void LogSeeded(ILogger logger, string tenantId);
}
