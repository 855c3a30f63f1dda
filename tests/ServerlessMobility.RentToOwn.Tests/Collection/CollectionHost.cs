using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Simulation;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.RentToOwn.Tests.Http;
using ServerlessMobility.Testing;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>
/// The platform in-process on the real durable engine (Azurite), the real Cosmos plan store and the real
/// clock, with every collection wait shortened to seconds. What we do not own is simulated: the
/// mobile-money provider, the SMS gateway, the vehicle's motion and its command channel. One host serves
/// every test of a class; each test opens its plans in a tenant of its own, so tests never share state.
/// </summary>
public class CollectionHost(PlatformEmulators emulators) : IAsyncLifetime
{
    public static readonly TimeSpan ReminderLead = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan SecondRetry = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(6);
    public static readonly TimeSpan StationaryRecheckInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultRecheckInterval = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan ActivityRetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Far enough ahead that the workflow has started before the reminder falls due, even on a busy machine.
    /// </summary>
    public static readonly TimeSpan DefaultFirstDueIn = TimeSpan.FromSeconds(7);

    /// <summary>
    /// How early a durable timer may be seen to fire against the simulators' clock: queue visibility is
    /// kept in whole seconds by the storage service, and the framework fires a timer whose time has come
    /// by its own clock reading. Assertions on "not before" allow this much.
    /// </summary>
    public static readonly TimeSpan TimerSkew = TimeSpan.FromMilliseconds(1100);

    public const string TenantName = "Boda Finance";
    public const string TenantLegalName = "Boda Finance Ltd";
    public const string TenantTaxId = "P051234567X";

    private RentToOwnHost? _host;

    internal RentToOwnHost Host => _host ?? throw new InvalidOperationException("Not started.");

    internal IServiceProvider Services => Host.Factory.Services;

    internal SimulatedMobileMoneyGateway Gateway => Services.GetRequiredService<SimulatedMobileMoneyGateway>();

    internal RecordingRentToOwnNotifier Sms => Services.GetRequiredService<RecordingRentToOwnNotifier>();

    internal SimulatedVehicleState Vehicles => Services.GetRequiredService<SimulatedVehicleState>();

    internal SimulatedVehicleCommandChannel VehicleCommands => Services.GetRequiredService<SimulatedVehicleCommandChannel>();

    internal DurableTaskClient Workflows => Services.GetRequiredService<DurableTaskClient>();

    /// <summary>How long the workflow leaves a moving vehicle of a defaulted plan before it looks again.</summary>
    protected virtual TimeSpan StationaryRecheck => StationaryRecheckInterval;

    public ValueTask InitializeAsync()
    {
        static string Seconds(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
        _host = RentToOwnHost.StartOnRealClock(emulators, new Dictionary<string, string?>
        {
            [$"{CollectionOptions.SectionName}:ReminderLead"] = Seconds(ReminderLead),
            [$"{CollectionOptions.SectionName}:RetrySchedule"] = $"{Seconds(FirstRetry)},{Seconds(SecondRetry)}",
            [$"{CollectionOptions.SectionName}:GracePeriod"] = Seconds(GracePeriod),
            [$"{CollectionOptions.SectionName}:StationaryRecheckInterval"] = Seconds(StationaryRecheck),
            [$"{CollectionOptions.SectionName}:DefaultRecheckInterval"] = Seconds(DefaultRecheckInterval),
            [$"{CollectionOptions.SectionName}:ActivityRetryInterval"] = Seconds(ActivityRetryInterval),

            // The legal details receipts, statements and messages show for every test tenant.
            ["Tenants:Default:Name"] = TenantName,
            ["Tenants:Default:LegalName"] = TenantLegalName,
            ["Tenants:Default:Address"] = "Moi Avenue 1, Nairobi",
            ["Tenants:Default:TaxId"] = TenantTaxId,
            ["Tenants:Default:Country"] = "KE",
            ["Tenants:Default:LegalFooter"] = "Boda Finance Ltd, Moi Avenue 1, Nairobi, PVT-2026-001",

            // A timer is noticed at most this late; the default half second adds up over a chain of waits.
            ["Durable:MaxQueuePollingInterval"] = "00:00:00.250",
        }, services =>
        {
            // The local host reads motion from telemetry and commands vehicles over its broker; here both are simulated.
            services.RemoveAll<IVehicleStateReader>();
            services.AddSingleton<IVehicleStateReader>(sp => sp.GetRequiredService<SimulatedVehicleState>());
            services.RemoveAll<IVehicleCommandChannel>();
            services.AddSingleton<IVehicleCommandChannel>(sp => sp.GetRequiredService<SimulatedVehicleCommandChannel>());
            services.AddSingleton<RecordingRentToOwnNotifier>();
            services.RemoveAll<IRentToOwnNotifier>();
            services.AddSingleton<IRentToOwnNotifier>(sp => sp.GetRequiredService<RecordingRentToOwnNotifier>());
        });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Onboards a customer, registers their vehicle (standing still unless <paramref name="speedKmh"/> says
    /// otherwise) and opens a Daily plan of <paramref name="instalments"/> instalments of
    /// 10,800 KES in all, the first due <paramref name="firstDueIn"/> from now, through the API as an agent does.
    /// </summary>
    internal async Task<CollectedPlan> OpenPlanAsync(string name, int instalments, TimeSpan? firstDueIn = null,
        bool allowsImmobilization = true, double speedKmh = 0)
    {
        var tenantId = $"rto-{name}-{Guid.NewGuid().ToString("N")[..6]}";
        var customerId = "cust-" + name;
        var vin = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(tenantId)))[..17];
        var agent = await Host.TokenAsync("agent-" + name, tenantId, "agent");
        var customer = await Host.TokenAsync(customerId, tenantId, "customer");
        var phone = "+2547" + string.Concat(vin.Where(char.IsDigit).Concat("00000000").Take(8));
        await ExpectAsync(HttpStatusCode.Created, await Host.SendAsync(HttpMethod.Post, "/api/customers", agent,
            new { customerId, phone, documentType = "national-id", documentNumber = "D" + vin[..8] }));
        await ExpectAsync(HttpStatusCode.Created, await Host.SendAsync(HttpMethod.Post, "/api/vehicles", agent,
            new { vin, ownerSubject = customerId, model = "Boxer 150" }));
        Vehicles.Set(tenantId, vin, speedKmh);

        var firstDue = DateTimeOffset.UtcNow + (firstDueIn ?? DefaultFirstDueIn);
        var created = await Host.SendAsync(HttpMethod.Post, "/api/plans", agent, new
        {
            customerId,
            vehicleId = vin,
            currency = "KES",
            vehiclePrice = 10_000m,
            deposit = 1_000m,
            financeChargeRate = 0.2m,
            frequency = "Daily",
            numberOfInstalments = instalments,
            firstDueDate = firstDue,
            allowsImmobilization,
        });
        await ExpectAsync(HttpStatusCode.Created, created);
        var plan = await RentToOwnHost.ReadAsync(created);
        return new CollectedPlan(this, tenantId, plan.GetProperty("id").GetString()!, customerId, vin, firstDue,
            [.. plan.GetProperty("schedule").EnumerateArray().Select(i => i.GetProperty("amount").GetDecimal())], agent, customer);
    }

    internal async Task ExpectAsync(HttpStatusCode expected, HttpResponseMessage response)
    {
        if (response.StatusCode != expected)
        {
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode} " +
                $"{await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}{Environment.NewLine}{Host.Factory.Errors}");
        }
    }
}
