using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.CarAsAService.Catalog;
using ServerlessMobility.CarAsAService.Customers;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.Telemetry;
using ServerlessMobility.Testing;
using ServerlessMobility.VehicleSimulation;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Tests.Features;

/// <summary>
/// One local host in-process on the real engine (its own task hub), the Cosmos server, the embedded MQTT
/// broker and a simulated vehicle answering direct methods, with its owner, a dealership admin and a feature
/// catalog. Everything runs on the real clock: retry intervals and the length of a month are settings in
/// seconds, so a test waits for what it checks instead of moving a fake clock.
/// </summary>
internal sealed class FeatureWorld : IAsyncDisposable
{
    public const string Tenant = "dealer-ota";
    public const string Model = "aurora-s";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly LocalHostFactory _factory;

    private FeatureWorld(LocalHostFactory factory, FeatureCalendar calendar)
    {
        _factory = factory;
        Calendar = calendar;
    }

    public string Vin { get; } = NewVin();

    public FeatureCalendar Calendar { get; }

    public SimulatedVehicle Vehicle { get; private set; } = null!;

    public HttpClient Owner { get; private set; } = null!;

    public string OwnerId => "owner-" + Vin;

    public HttpClient Admin { get; private set; } = null!;

    public DurableTaskClient Workflows => Get<DurableTaskClient>();

    public string BillingInstanceId => FeatureBillingWorkflow.InstanceIdFor(Tenant, OwnerId);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="settings">Settings of this host on top of the short defaults below ("CarAsAService:Features:..." and others).</param>
    public static async Task<FeatureWorld> StartAsync(PlatformEmulators emulators, IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = new LocalHostFactory(emulators);
        factory.Settings["CarAsAService:Outbound:Mode"] = "Simulated";
        factory.Settings["CarAsAService:Features:VehicleResponseTimeout"] = "00:00:01";
        factory.Settings["CarAsAService:Features:CommandMaxAttempts"] = "3";
        factory.Settings["CarAsAService:Features:CommandFirstRetry"] = "00:00:01";
        factory.Settings["CarAsAService:Features:CommandBackoffCoefficient"] = "1";
        factory.Settings["CarAsAService:Features:CommandMaxRetryInterval"] = "00:00:02";
        factory.Settings["CarAsAService:Features:VoidFirstRetry"] = "00:00:01";
        factory.Settings["CarAsAService:Features:VoidRoundInterval"] = "00:00:03";
        factory.Settings["CarAsAService:Features:InvoiceRetrySchedule"] = "00:00:03,00:00:06,00:00:09";

        // Bounds how late a durable timer (a retry, the end of a month) is noticed.
        factory.Settings["Durable:MaxQueuePollingInterval"] = "00:00:00.250";
        factory.Settings["Logging:LogLevel:Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            factory.Settings[key] = value;
        }

        var monthLength = factory.Settings.TryGetValue("CarAsAService:Features:MonthLength", out var length) && !string.IsNullOrEmpty(length)
            ? TimeSpan.Parse(length, CultureInfo.InvariantCulture)
            : (TimeSpan?)null;
        var world = new FeatureWorld(factory, new FeatureCalendar(monthLength));
        try
        {
            await world.InitializeAsync();
        }
        catch
        {
            await world.DisposeAsync();
            throw;
        }

        return world;
    }

    public T Get<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

    public IReadOnlyList<CardPaymentCall> Calls() => Get<SimulatedCardPayments>().Calls;

    /// <summary>The calls of one purchase: its hold (by subscription id) and what was done with that hold.</summary>
    public IReadOnlyList<CardPaymentCall> CallsFor(FeatureSubscription subscription) =>
        [.. Calls().Where(c => c.Reference == subscription.Id || c.Reference == subscription.AuthorizationId)];

    /// <summary>The charges of one invoice (other months' invoices are charged too while a subscription stays open).</summary>
    public IReadOnlyList<CardPaymentCall> ChargesOf(string invoiceId) => [.. Calls().Where(c => c.Operation == "charge" && c.Reference == invoiceId)];

    public Task<HttpClient> ClientAsync(string subject, string role) => _factory.ClientAsync(subject, Tenant, role);

    public async Task AddFeatureAsync(string code, bool requiresMaintenance = false, string minimumFirmware = "2.4")
    {
        using var response = await Admin.PutAsJsonAsync($"/api/models/{Model}/features/{code}", new
        {
            name = code.Replace('-', ' '),
            minimumFirmware,
            prices = new[] { new { country = "ES", netMonthlyPrice = 100m, vatRate = 0.21m, currency = "EUR" } },
            allowedDurations = new[] { "OneMonth", "TwelveMonths", "OpenEndedMonthly" },
            requiresMaintenanceUpToDate = requiresMaintenance,
            configuration = new Dictionary<string, string> { ["feature." + code] = "on" },
        }, Ct);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    public Task<HttpResponseMessage> PurchaseAsync(string code, string duration) =>
        Owner.PostAsJsonAsync($"/api/vehicles/{Vin}/features/{code}/purchase", new { duration }, Ct);

    public Task<HttpResponseMessage> CancelAsync(string code) => Owner.PostAsync($"/api/vehicles/{Vin}/features/{code}/cancel", null, Ct);

    /// <summary>Adds the feature, buys it open-ended and waits until the vehicle has it on.</summary>
    public async Task<FeatureSubscription> ActivateOpenEndedAsync(string code)
    {
        await AddFeatureAsync(code);
        using var purchase = await PurchaseAsync(code, "OpenEndedMonthly");
        Assert.Equal(HttpStatusCode.Accepted, purchase.StatusCode);
        return await WaitForStateAsync(code, FeatureSubscriptionState.Active);
    }

    /// <summary>
    /// Waits, if need be, for the next month, so at least <paramref name="room"/> of the current one is left: what
    /// a test does next (a purchase and a cancellation) then falls in one billing period.
    /// </summary>
    public Task WaitForRoomInMonthAsync(TimeSpan room) =>
        Eventually.UntilAsync(() => Task.FromResult(Calendar.MonthEnd(DateTimeOffset.UtcNow) - DateTimeOffset.UtcNow),
            left => left >= room, $"{room.TotalSeconds:0} s left in the month");

    /// <summary>Polls the owner's subscriptions until the feature reaches <paramref name="state"/>.</summary>
    public async Task<FeatureSubscription> WaitForStateAsync(string code, FeatureSubscriptionState state) =>
        (await Eventually.UntilAsync(async () => (await Owner.GetFromJsonAsync<List<FeatureSubscription>>($"/api/vehicles/{Vin}/features/subscriptions", Json, Ct))!
                .Where(s => s.FeatureCode == code).OrderByDescending(s => s.RequestedAt).FirstOrDefault(),
            s => s?.State == state, $"{code} on {Vin} to be {state}"))!;

    /// <summary>Polls the stored invoice until it matches (it may not exist yet).</summary>
    public async Task<FeatureInvoice> WaitForInvoiceAsync(string invoiceId, Func<FeatureInvoice, bool> condition, string what) =>
        (await Eventually.UntilAsync(async () => (await Get<ITenantRepository<FeatureInvoice>>().GetAsync(Tenant, invoiceId, Ct))?.Value,
            invoice => invoice is not null && condition(invoice), $"invoice {invoiceId} {what}"))!;

    /// <summary>Polls the customer's billing instance until its custom status matches.</summary>
    public async Task<JsonElement> WaitForBillingStatusAsync(Func<JsonElement, bool> condition, string what)
    {
        var instance = await Workflows.WaitForInstanceAsync(BillingInstanceId,
            i => i.SerializedCustomStatus is { } status && condition(JsonDocument.Parse(status).RootElement), what);
        return JsonDocument.Parse(instance!.SerializedCustomStatus!).RootElement.Clone();
    }

    /// <summary>The invoice id of the month that holds <paramref name="at"/>.</summary>
    public string InvoiceIdFor(DateTimeOffset at)
    {
        var start = Calendar.MonthStart(at);
        return FeatureInvoice.IdFor(OwnerId, start, Calendar.MonthEnd(start), "EUR");
    }

    /// <summary>The event the customer was notified of (its JSON, with the text in data.message), once its delivery is recorded.</summary>
    public async Task<string> NotificationAsync(string key, string kind)
    {
        var deliveries = Get<ServerlessMobility.Platform.Notifications.INotificationDeliveryStore>();
        var found = await Eventually.UntilAsync(() => deliveries.ListForEventAsync(Tenant, $"caas:{key}.{kind}", Ct),
            list => list.Count > 0, $"notification {key}.{kind}");
        return found[0].EventJson;
    }

    public async ValueTask DisposeAsync()
    {
        Owner?.Dispose();
        Admin?.Dispose();
        if (Vehicle is not null)
        {
            await Vehicle.DisposeAsync();
        }

        await _factory.DisposeAsync();
    }

    /// <summary>The device credentials a registration shows once.</summary>
    public static async Task<string> DeviceConnectionStringAsync(HttpResponseMessage registered) =>
        (await registered.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("device").GetProperty("connectionString").GetString()!;

    /// <summary>Registers another vehicle of the same tenant and owner (its own device identity) and returns its connection string.</summary>
    public async Task<string> RegisterOtherVehicleAsync(string vin)
    {
        using var registered = await Admin.PostAsJsonAsync("/api/vehicles", new { vin, ownerSubject = OwnerId, model = Model }, Ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return await DeviceConnectionStringAsync(registered);
    }

    public int MqttPort => int.Parse(_factory.Settings["Mqtt:Port"]!, CultureInfo.InvariantCulture);

    public static string NewVin()
    {
        const string Allowed = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";
        return "WFTR" + new string([.. Enumerable.Range(0, 13).Select(_ => Allowed[Random.Shared.Next(Allowed.Length)])]);
    }

    private async Task InitializeAsync()
    {
        try
        {
            await Get<ITenantRepository<VehicleModel>>().CreateAsync(Tenant, Model, TestData.Model(Tenant, Model), Ct);
        }
        catch (ServerlessMobility.Platform.Http.ConflictException)
        {
            // Seeded by an earlier test against the same emulators.
        }

        await Get<ITenantRepository<Customer>>().CreateAsync(Tenant, OwnerId, new Customer(OwnerId, Tenant, "Owner", "owner@example.test", "ES", DateTimeOffset.UtcNow), Ct);
        Admin = await ClientAsync("admin-" + Vin, "dealer-admin");
        Owner = await ClientAsync(OwnerId, "customer");
        using var registered = await Admin.PostAsJsonAsync("/api/vehicles", new { vin = Vin, ownerSubject = OwnerId, model = Model }, Ct);
        Assert.True(registered.StatusCode == HttpStatusCode.Created,
            $"Registering {Vin}: {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync(Ct)}{Environment.NewLine}{_factory.Errors}");

        var port = int.Parse(_factory.Settings["Mqtt:Port"]!, CultureInfo.InvariantCulture);
        Vehicle = new SimulatedVehicle(IoTHubConnection.LocalFromConnectionString(await DeviceConnectionStringAsync(registered), port));
        await Vehicle.ConnectAsync(Ct);
        await Vehicle.SendAsync(new TelemetryBody
        {
            SchemaVersion = 1, Lat = 40.4, Lon = -3.7, SpeedKmh = 0, Heading = 0, OdometerKm = 12000, BatteryPercent = 80,
            Ignition = false, Dtcs = [], FirmwareVersion = "2.6.1", Timestamp = DateTimeOffset.UtcNow,
        }, cancellationToken: Ct);
        await Eventually.UntilAsync(async () =>
        {
            using var state = await Admin.GetAsync($"/api/vehicles/{Vin}/state", Ct);
            return state.IsSuccessStatusCode && (await state.Content.ReadAsStringAsync(Ct)).Contains("2.6.1", StringComparison.Ordinal);
        }, $"{Vin} to report its firmware");
    }
}
