using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.CarAsAService.Catalog;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Telemetry;
using ServerlessMobility.Testing;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.LocalHost.Tests.Isolation;

/// <summary>Which tenant makes a request: the owner of the objects, or the other tenant.</summary>
public enum Side
{
    Own,
    OtherTenant,
}

/// <summary>
/// One local host (real pipeline, real emulators) with objects of every kind created in tenant A through
/// the API: a car order and its customer, a rent-to-own customer with a KYC document, a listing, a plan, a
/// registered vehicle with telemetry and a geofence, and orchestration instances. Tenant B has the same
/// roles and subjects but none of the objects, so every request B makes for them must find nothing.
/// </summary>
public sealed class IsolationWorld(PlatformEmulators emulators) : IAsyncLifetime
{
    public const string TenantA = "iso-tenant-a";
    public const string TenantB = "iso-tenant-b";
    public const string RtoCustomer = "iso-rto-customer";

    /// <summary>A customer of tenant A whose id tenant B reuses for a customer of its own (never <see cref="RtoCustomer"/>).</summary>
    public const string TwinCustomer = "iso-rto-twin";
    public const string VehicleOwner = "iso-vehicle-owner";
    public const string Vin = "WSMA0000000000001";
    public const string Geofence = "iso-depot";
    public const string OrderId = "iso-order-1";

    /// <summary>Tenant A's order's workflow instance.</summary>
    public static readonly string OrderInstanceId = ServerlessMobility.CarAsAService.Orders.OrderToDeliveryWorkflow.InstanceIdFor(TenantA, OrderId);
    public const string SeededFeature = "iso-seeded-feature";
    public const string DocumentId = "iso-invoice";

    private readonly LocalHostFactory _factory = new(emulators);

    /// <summary>Azure SignalR Service's REST API, accepting every call, so the showroom's negotiate route answers here.</summary>
    private readonly WireMock.Server.WireMockServer _signalR = WireMock.Server.WireMockServer.Start();
    private readonly ConcurrentDictionary<(string Role, Side Side, string Subject), string> _tokens = new();
    private int _sequence;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    public string CarCustomer { get; private set; } = string.Empty;

    public string ListingId { get; private set; } = string.Empty;

    public string PlanId { get; private set; } = string.Empty;

    /// <summary>The customer of tenant A's service contracts (their token's subject).</summary>
    public const string ContractCustomer = "iso-sc-customer";

    public string ContractProductId { get; private set; } = string.Empty;

    /// <summary>A quote of tenant A not yet accepted.</summary>
    public string ContractQuoteId { get; private set; } = string.Empty;

    public string ServiceContractId { get; private set; } = string.Empty;

    /// <summary>
    /// Tenant A's plan as an operator left it immobilized: defaults and a standing vehicle come from the collection
    /// workflow and telemetry over time, not from a request, and this world sends no commands to a vehicle. The request
    /// to immobilize it again then succeeds without a command (it is idempotent), which is what isolation needs.
    /// </summary>
    public async Task<string> ImmobilizedPlanAsync()
    {
        await _factory.Services.GetRequiredService<RentToOwn.Collection.IPaymentPlanStore>().UpdateAsync(TenantA, PlanId, plan =>
        {
            plan.Immobilization ??= new RentToOwn.Plans.PlanImmobilization("iso-operator", DateTimeOffset.UtcNow, "Isolation world: immobilized.", "iso-command");
            return true;
        });
        return PlanId;
    }

    /// <summary>A fresh id for requests that create or consume something (one per call).</summary>
    public string NextId(string prefix) => $"{prefix}-{NextNumber()}";

    /// <summary>A fresh number for each call, for ids made of other parts (an invoice's month).</summary>
    public int NextNumber() => Interlocked.Increment(ref _sequence);

    /// <summary>Every response this world's host gave (OpenApiConformanceTests checks them against the document).</summary>
    public ResponseLog Responses { get; } = new();

    public async ValueTask InitializeAsync()
    {
        _factory.ConfigureTestServices = services =>
        {
            services.AddSingleton(Responses.StartupFilter());

            // Converting a lead reserves its vehicle in the showroom inventory, which this world stands in for.
            services.AddSingleton<Showroom.Leads.IShowroomVehicleReservation>(new ServerlessMobility.Testing.Showroom.RecordingVehicleReservations());
        };
        _factory.Settings["Durable:RegisterSampleWorkflows"] = "true";
        _factory.Settings["Durable:MaxQueuePollingInterval"] = "00:00:00.100";
        _factory.Settings["Mqtt:Enabled"] = "false";
        _factory.Settings["Logging:LogLevel:Default"] = "Warning";
        _signalR.Given(WireMock.RequestBuilders.Request.Create().UsingAnyMethod()).RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(202));
        _factory.Settings["Showroom:Live:AzureSignalR:ConnectionString"] = $"Endpoint={_signalR.Url};AccessKey=aXNvbGF0aW9uLXdvcmxkLWtleQ==;Version=1.0;";
        // The suites here send thousands of requests as a handful of subjects (and anonymously) within minutes: the rate
        // limiter has tests of its own (HttpHygieneTests, RequestProtectionTests) and must not turn these answers into 429s.
        _factory.Settings["RequestProtection:PermitsPerSubject"] = "1000000";
        _factory.Settings["RequestProtection:PermitsPerAnonymousIp"] = "1000000";
        Client = _factory.CreateClient();
        foreach (var tenant in new[] { TenantA, TenantB })
        {
            await SeedModelAsync(tenant);
        }

        var order = await SendOkAsync(HttpMethod.Post, "/api/orders", "dealer-staff", Side.Own, new
        {
            orderId = OrderId,
            customer = new { name = "Iso Buyer", email = "iso.buyer@example.test" },
            modelId = "iso-model",
            country = "ES",
        });
        CarCustomer = order.GetProperty("order").GetProperty("customerId").GetString()!;

        await SendOkAsync(HttpMethod.Post, "/api/customers", "agent", Side.Own, new { customerId = RtoCustomer, phone = "+254711000111", documentType = "national-id", documentNumber = "ISO123456" });
        using (var upload = await SendAsync(KycDocument(RtoCustomer, await TokenAsync("customer", Side.Own, RtoCustomer))))
        {
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        }

        await SendOkAsync(HttpMethod.Post, "/api/customers", "agent", Side.Own, new { customerId = TwinCustomer, phone = "+254711000222", documentType = "national-id", documentNumber = "ISO654321" });
        using (var upload = await SendAsync(KycDocument(TwinCustomer, await TokenAsync("customer", Side.Own, TwinCustomer))))
        {
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        }

        ListingId = (await SendOkAsync(HttpMethod.Post, "/api/listings", "agent", Side.Own, Listing())).GetProperty("id").GetString()!;
        await SendOkAsync(HttpMethod.Post, "/api/vehicles", "dealer-staff", Side.Own, new { vin = Vin, ownerSubject = VehicleOwner, model = "iso-model" });
        PlanId = (await SendOkAsync(HttpMethod.Post, "/api/plans", "agent", Side.Own, Plan(RtoCustomer, Vin))).GetProperty("id").GetString()!;
        await SendOkAsync(HttpMethod.Put, $"/api/vehicles/{Vin}/geofences/{Geofence}", "dealer-staff", Side.Own, Zone());
        await SendOkAsync(HttpMethod.Put, $"/api/models/iso-model/features/{SeededFeature}", "dealer-admin", Side.Own, Feature(SeededFeature));
        ContractProductId = (await SendOkAsync(HttpMethod.Post, "/api/service-contract-products", "dealer-admin", Side.Own, ContractProduct())).GetProperty("id").GetString()!;
        ContractQuoteId = (await FreshContractQuoteAsync()).Id;
        ServiceContractId = await FreshServiceContractAsync();

        // Documents are issued by workflows, not the API: issue one for tenant A as they do.
        await _factory.Services.GetRequiredService<Platform.Documents.DocumentIssuer>().IssueAsync(new Platform.Documents.IssueDocumentRequest(TenantA, DocumentId, CarCustomer,
            new Platform.Documents.DocumentContent("invoice", "INV-ISO", "en", "ES", "EUR", DateTimeOffset.UtcNow, new Platform.Documents.DocumentParty("Iso", []),
                [new Platform.Documents.DocumentLine("Iso", 1m, 0.21m)]), "iso-invoice.pdf"), CancellationToken.None);

        // Telemetry arrives from the vehicle, not the API: feed the pipeline the hosts feed.
        var body = Encoding.UTF8.GetBytes($$"""{"schemaVersion":1,"lat":48.1,"lon":11.5,"speedKmh":0,"odometerKm":1200,"firmwareVersion":"3.0","timestamp":"{{DateTimeOffset.UtcNow:O}}"}""");
        await _factory.Services.GetRequiredService<TelemetryPipeline>().ProcessAsync(
            [new TelemetryMessage(Vin, DateTimeOffset.UtcNow, "0", 1, "iso-msg-1", new Dictionary<string, string>(), body)], CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        _signalR.Dispose();
    }

    public static object Listing() => new { type = "Motorcycle", make = "Iso", model = "Boxer", year = 2024, currency = "KES", price = 150_000m, weeklyInstalment = 3_000m, location = "Nairobi" };

    public static object Plan(string customerId, string vehicleId) => new
    {
        customerId,
        vehicleId,
        currency = "KES",
        vehiclePrice = 150_000m,
        deposit = 15_000m,
        financeChargeRate = 0.2m,
        frequency = "Weekly",
        numberOfInstalments = 52,
        firstDueDate = DateTimeOffset.UtcNow.AddDays(7),
    };

    public static object Feature(string name) => new
    {
        name,
        minimumFirmware = "2.0",
        prices = new[] { new { country = "ES", netMonthlyPrice = 10m, vatRate = 0.21m, currency = "EUR" } },
        allowedDurations = new[] { "OneMonth" },
        requiresMaintenanceUpToDate = false,
    };

    public static object ContractTerms() => new
    {
        coverage = new[] { new { code = "engine", name = "Engine" } },
        termMonths = 1,
        eligibility = new { models = Array.Empty<string>() },
        prices = new[]
        {
            new { jurisdiction = "ES", currency = "EUR", netPrice = 400m, deductible = 50m, limitPerClaim = 1_000m, totalLimit = 2_000m, ageBands = Array.Empty<object>(), mileageBands = Array.Empty<object>(), modelSurcharges = Array.Empty<object>() },
        },
    };

    public static object ContractProduct() => new { name = "Iso Care", terms = ContractTerms() };

    public static object ContractQuote(string productId) => new
    {
        productId,
        customerId = ContractCustomer,
        jurisdiction = "ES",
        vin = Vin,
        model = "iso-model",
        firstRegistered = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-1),
        odometerKm = 1_200,
    };

    /// <summary>A new quote of tenant A for <see cref="ContractCustomer"/>, with the hash of its document.</summary>
    public async Task<(string Id, string DocumentHash)> FreshContractQuoteAsync()
    {
        var quote = await SendOkAsync(HttpMethod.Post, "/api/service-contract-quotes", "dealer-staff", Side.Own, ContractQuote(ContractProductId));
        return (quote.GetProperty("id").GetString()!, quote.GetProperty("documentHash").GetString()!);
    }

    /// <summary>A new active service contract of tenant A, accepted by <see cref="ContractCustomer"/>.</summary>
    public async Task<string> FreshServiceContractAsync()
    {
        var (id, hash) = await FreshContractQuoteAsync();
        using var response = await SendAsync(await RequestAsync(HttpMethod.Post, $"/api/service-contract-quotes/{id}/acceptance", "customer", Side.Own, new { name = "Iso Customer", documentHash = hash }, ContractCustomer));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"acceptance: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("contract").GetProperty("id").GetString()!;
    }

    /// <summary>A legacy record for the bulk import, sold in ES today under tenant A's product.</summary>
    public static object ContractImportRecord(string externalId, string productId) => new
    {
        externalId,
        customerId = ContractCustomer,
        jurisdiction = "ES",
        productId,
        vin = Vin,
        model = "iso-model",
        firstRegistered = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-1),
        odometerKm = 1_200,
        startsAt = DateOnly.FromDateTime(DateTime.UtcNow),
        priceTotal = 484m,
        currency = "EUR",
    };

    /// <summary>The query of a report on this month (the isolation host runs on the real clock).</summary>
    public static string ThisMonthReport() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"from={DateTime.UtcNow:yyyy-MM}&to={DateTime.UtcNow:yyyy-MM}");

    public static object Zone() => new { name = "Depot", kind = "Allowed", center = new { lat = 48.1, lon = 11.5 }, radiusMeters = 500 };

    public static object Credit(string? customerId) => new
    {
        customerId,
        currency = "KES",
        monthlyIncome = 100_000m,
        vehiclePrice = 150_000m,
        deposit = 45_000m,
        financeChargeRate = 0.2m,
        frequency = "Weekly",
        numberOfInstalments = 52,
        monthsInCurrentOccupation = 30,
    };

    public static HttpRequestMessage KycDocument(string customerId, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/customers/{customerId}/kyc/document");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        return request;
    }

    public static string TenantOf(Side side) => side == Side.Own ? TenantA : TenantB;

    /// <summary>A dev token for the role in the side's tenant; the subject is the same on both sides.</summary>
    public async Task<string> TokenAsync(string role, Side side, string? subject = null)
    {
        subject ??= "iso-" + role;
        if (_tokens.TryGetValue((role, side, subject), out var cached))
        {
            return cached;
        }

        var token = await DevTokens.IssueAsync(Client, subject, TenantOf(side), role);
        _tokens[(role, side, subject)] = token;
        return token;
    }

    public async Task<HttpRequestMessage> RequestAsync(HttpMethod method, string path, string role, Side side, object? body = null, string? subject = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(role, side, subject));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, CancellationToken cancellationToken = default) =>
        Client.SendAsync(request, completion, cancellationToken);

    /// <summary>Onboards a new rent-to-own customer of tenant A, with a KYC document when asked (KYC then Pending).</summary>
    public async Task<string> OnboardFreshCustomerAsync(bool withDocument)
    {
        var id = NextId("iso-fresh");
        var digits = new string([.. id.Where(char.IsAsciiDigit)]).PadLeft(6, '0');
        await SendOkAsync(HttpMethod.Post, "/api/customers", "agent", Side.Own, new { customerId = id, phone = "+25472" + digits, documentType = "national-id", documentNumber = "FRESH" + digits });
        if (withDocument)
        {
            using var upload = await SendAsync(KycDocument(id, await TokenAsync("customer", Side.Own, id)));
            Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        }

        return id;
    }

    /// <summary>Starts an orchestration for tenant A that waits on a long timer, so it can be read and controlled (through the management API under <paramref name="prefix"/>).</summary>
    public async Task<string> StartWaitingInstanceAsync(string prefix)
    {
        var id = NextId("iso-instance");
        using var response = await SendAsync(await RequestAsync(HttpMethod.Post, $"{prefix}/orchestrators/Diagnostics.Sequence/{id}", "operator", Side.Own,
            new { activities = 2, timerSeconds = 3600, recordSideEffects = false }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return id;
    }

    /// <summary>Starts an instance for tenant A, terminates it and waits until it is terminal, so it can be purged.</summary>
    public async Task<string> StartEndedInstanceAsync(string prefix)
    {
        var id = await StartWaitingInstanceAsync(prefix);
        using var terminate = await SendAsync(await RequestAsync(HttpMethod.Post, $"{prefix}/instances/{id}/terminate", "operator", Side.Own));

        // The status route answers 202 while the instance runs and 200 once it has ended.
        await Eventually.UntilAsync(
            async () =>
            {
                using var status = await SendAsync(await RequestAsync(HttpMethod.Get, $"{prefix}/instances/{id}", "operator", Side.Own));
                return status.StatusCode;
            },
            status => status == HttpStatusCode.OK,
            $"{id} to end");
        return id;
    }

    private async Task<JsonElement> SendOkAsync(HttpMethod method, string path, string role, Side side, object body)
    {
        using var response = await SendAsync(await RequestAsync(method, path, role, side, body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}{Environment.NewLine}The host logged: {_factory.Errors}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private async Task SeedModelAsync(string tenant)
    {
        var model = new VehicleModel("iso-model", tenant, "Iso Model", [new CountryPrice("ES", 30000m, 0.21m, "EUR")], []);
        try
        {
            await _factory.Services.GetRequiredService<ITenantRepository<VehicleModel>>().CreateAsync(tenant, "iso-model", model);
        }
        catch (ConflictException)
        {
            // Seeded by an earlier run against the same emulators.
        }
    }
}
