using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.WebConsole.Tests;

/// <summary>
/// The local host as a real process (the browser needs a real socket), serving the console at '/' with the demo data.
/// Partner simulators are left unanswered on purpose (their webhooks have no address to call back), so an order stays
/// in its workflow's first wait: the screens have a running workflow to show and to terminate.
/// </summary>
public sealed class ConsoleHost : IAsyncLifetime
{
    public const string Tenant = "demo-dealership";

    /// <summary>Long enough for a screen to be read while a plan is in it.</summary>
    public static readonly TimeSpan RentToOwnGracePeriod = TimeSpan.FromSeconds(40);

    private readonly PlatformEmulators _emulators;
    private LocalHostProcess? _host;

    public ConsoleHost(PlatformEmulators emulators) => _emulators = emulators;

    public LocalHostProcess Host => _host ?? throw new InvalidOperationException("Not started.");

    public Uri BaseAddress => Host.BaseAddress;

    public async ValueTask InitializeAsync()
    {
        var settings = _emulators.Settings();
        settings["Demo:Seed"] = "true";

        // The demo vehicles drive (two move, the third stands parked): telemetry for the live vehicles, the features'
        // firmware checks and the rent-to-own interlock.
        settings["Demo:DriveVehicles"] = "true";
        settings["Logging:LogLevel:ServerlessMobility.LocalHost.Demo"] = "Information";

        // Rent-to-own collection in seconds (the fast time profile's idea, for this module only: the orders' workflows must
        // keep waiting for their deposit): a declined instalment is retried, defaults and immobilizes within a minute (the grace period is long enough for a screen to be read in it).
        settings["RentToOwn:Collection:ReminderLead"] = "00:00:01";
        settings["RentToOwn:Collection:RetrySchedule"] = "00:00:02,00:00:04,00:00:06";
        settings["RentToOwn:Collection:GracePeriod"] = RentToOwnGracePeriod.ToString("c", CultureInfo.InvariantCulture);
        settings["RentToOwn:Collection:StationaryRecheckInterval"] = "00:00:02";
        settings["RentToOwn:Collection:DefaultRecheckInterval"] = "00:00:10";
        settings["RentToOwn:Collection:VehicleCommandTimeout"] = "00:00:10";
        settings["RentToOwn:Collection:ActivityRetryInterval"] = "00:00:02";

        // Webhooks of the simulators go to a port nothing listens on: the deposit is never paid.
        settings["CarAsAService:Simulators:CallbackBaseUrl"] = $"http://127.0.0.1:{FreeTcpPort.Next()}";
        _host = await LocalHostProcess.StartAsync(settings);
        await WaitForDemoDataAsync(_host);
    }

    /// <summary>Waits until the host has seeded the demo data (the catalog an order needs); fails with its output if it stopped.</summary>
    internal static async Task WaitForDemoDataAsync(LocalHostProcess host)
    {
        await Eventually.UntilAsync(() => Task.FromResult(host.Process.Output.Contains("Demo data ready for tenant", StringComparison.Ordinal) || host.Process.HasExited),
            "the host to seed the demo data", TimeSpan.FromSeconds(90), cancellation: CancellationToken.None);
        if (host.Process.HasExited)
        {
            throw new InvalidOperationException($"The local host stopped: {host.Process.Output}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public async Task<string> TokenAsync(string subject, params string[] roles)
    {
        using var client = Host.CreateClient();
        return await DevTokens.IssueAsync(client, subject, Tenant, roles);
    }

    /// <summary>Places an order through the API, as the mobile app does; its workflow then waits for the deposit.</summary>
    public async Task<string> PlaceOrderAsync(string prefix)
    {
        using var client = await ClientAsync("console-test-staff", "dealer-staff");
        return await PlaceOrderAsync(client, $"{prefix}-{Guid.NewGuid():N}"[..32]);
    }

    /// <summary>Places an order with a client that carries its token; answers the order's id.</summary>
    internal static async Task<string> PlaceOrderAsync(HttpClient client, string orderId)
    {
        using var response = await client.PostAsJsonAsync("/api/orders", new
        {
            orderId,
            customer = new { name = "Ana Garcia", email = $"{orderId}@example.test" },
            modelId = "aurora-s",
            packs = Array.Empty<string>(),
            country = "ES",
        });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Placing order {orderId} answered {(int)response.StatusCode}: {body}");
        }

        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("order").GetProperty("id").GetString() ?? orderId;
    }

    /// <summary>A client of the API with a token of the given roles.</summary>
    public async Task<HttpClient> ClientAsync(string subject, params string[] roles)
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(subject, roles));
        return client;
    }

    /// <summary>
    /// As an agent: onboards a customer, registers the demo vehicle to them and opens a daily plan of three instalments whose
    /// first falls due in a few seconds; every charge of it is declined (the mobile-money simulator's script), so it runs
    /// through its retries and grace period into default. The demo vehicles WDEMX000000000001 and 2 drive, 3 stands parked.
    /// </summary>
    public async Task<string> OpenDecliningPlanAsync(string vin)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var customerId = $"rto-console-{suffix}";
        using var agent = await ClientAsync("console-test-agent", "agent");
        await PostAsync(agent, "/api/customers", new
        {
            customerId,
            phone = "+2547" + string.Concat(suffix.Select(c => (char)('0' + (c % 10))))[..8],
            documentType = "national-id",
            documentNumber = "C" + suffix,
        });
        await PostAsync(agent, "/api/vehicles", new { vin, ownerSubject = customerId, model = "aurora-s" });
        var firstDue = DateTimeOffset.UtcNow.AddSeconds(6).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        using var plan = await PostAsync(agent, "/api/plans", new
        {
            customerId, vehicleId = vin, currency = "KES", vehiclePrice = 10_000m, deposit = 1_000m, financeChargeRate = 0.2m,
            frequency = "Daily", numberOfInstalments = 3, firstDueDate = firstDue, allowsImmobilization = true,
        });
        var planId = plan.RootElement.GetProperty("id").GetString()!;

        using var operatorClient = await ClientAsync("console-test-ops", "operator");
        using var script = await operatorClient.PutAsJsonAsync($"/api/dev/simulators/mobile-money/scripts/{planId}",
            new { outcomes = new[] { new { outcome = "decline", code = "insufficient-funds", times = 0 } } });
        script.EnsureSuccessStatusCode();
        return planId;
    }

    /// <summary>The plan as the API answers it to an agent.</summary>
    public async Task<JsonElement> PlanAsync(string planId)
    {
        using var agent = await ClientAsync("console-test-agent", "agent");
        using var json = JsonDocument.Parse(await agent.GetStringAsync($"/api/plans/{planId}"));
        return json.RootElement.Clone();
    }

    /// <summary>The custom status of the plan's collection workflow (stage, immobilized).</summary>
    public async Task<JsonElement?> CollectionStatusAsync(string planId)
    {
        using var agent = await ClientAsync("console-test-agent", "agent");
        using var response = await agent.GetAsync($"/api/workflows/instances/{Uri.EscapeDataString($"{Tenant}:rto-collection:{planId}")}");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("customStatus", out var custom) ? custom.Clone() : null;
    }

    /// <summary>
    /// The demo vehicle's owner (demo-customer) buys a feature through the API as the app does, once the vehicle's first
    /// reading made its firmware known; an open purchase of it from an earlier run is kept. Answers the purchase's id.
    /// </summary>
    public async Task<string> BuyFeatureAsync(string vin, string code)
    {
        using var owner = await ClientAsync("demo-customer", "customer");
        var offer = await Eventually.UntilAsync(async () =>
            {
                using var json = JsonDocument.Parse(await owner.GetStringAsync($"/api/vehicles/{vin}/features"));
                return json.RootElement.EnumerateArray().Where(o => o.GetProperty("code").GetString() == code).Select(o => o.Clone()).FirstOrDefault();
            },
            o => o.ValueKind == JsonValueKind.Object && (o.GetProperty("available").GetBoolean() || o.GetProperty("currentState").ValueKind == JsonValueKind.String),
            $"{vin} to qualify for {code} (its first reading)", TimeSpan.FromSeconds(60), cancellation: CancellationToken.None);
        if (offer.GetProperty("available").GetBoolean())
        {
            using var purchase = await PostAsync(owner, $"/api/vehicles/{vin}/features/{code}/purchase", new { duration = "OneMonth" });
            return purchase.RootElement.GetProperty("subscription").GetProperty("id").GetString()!;
        }

        using var subscriptions = JsonDocument.Parse(await owner.GetStringAsync($"/api/vehicles/{vin}/features/subscriptions"));
        return subscriptions.RootElement.EnumerateArray().First(s => s.GetProperty("featureCode").GetString() == code).GetProperty("id").GetString()!;
    }

    /// <summary>A purchase's state as the API answers it to dealer staff.</summary>
    public async Task<string?> FeatureStateAsync(string vin, string subscriptionId)
    {
        using var staff = await ClientAsync("console-test-staff", "dealer-staff");
        using var json = JsonDocument.Parse(await staff.GetStringAsync($"/api/vehicles/{vin}/features/subscriptions"));
        return json.RootElement.EnumerateArray().Where(s => s.GetProperty("id").GetString() == subscriptionId).Select(s => s.GetProperty("state").GetString()).FirstOrDefault();
    }

    /// <summary>A VIN no earlier run used: 17 letters and digits without I, O and Q (hexadecimal has none of them).</summary>
    public static string NewVin() => ("WSMC" + Guid.NewGuid().ToString("N").ToUpperInvariant())[..17];

    /// <summary>Adds a car to the dealership's stock through the API, as a salesperson's tablet does.</summary>
    public async Task AddStockVehicleAsync(string vin, string make, string model, string fuel, decimal price, string description, string status = "Available")
    {
        using var staff = await ClientAsync("console-test-staff", "dealer-staff");
        using var added = await PostAsync(staff, "/api/showroom/inventory", new
        {
            vin, make, model, year = 2024, fuel, colour = "White", mileageKm = 12, price, currency = "EUR",
            location = new { lat = 48.137, lon = 11.575 }, description, status,
        });
    }

    /// <summary>A stock car's status as the API answers it to dealer staff.</summary>
    public async Task<string?> StockStatusAsync(string vin)
    {
        using var staff = await ClientAsync("console-test-staff", "dealer-staff");
        using var json = JsonDocument.Parse(await staff.GetStringAsync($"/api/showroom/inventory/{vin}"));
        return json.RootElement.GetProperty("status").GetString();
    }

    /// <summary>Puts a salesperson on the dealership's roster (a dealer admin's route), so the leaderboard shows their name.</summary>
    public async Task AddSalespersonAsync(string id, string name)
    {
        using var admin = await ClientAsync("console-test-manager", "dealer-admin");
        using var response = await admin.PutAsJsonAsync($"/api/showroom/salespeople/{id}", new { name, active = true });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The salesperson captures a walk-in through the API (5 points); answers the lead's id.</summary>
    public async Task<string> CaptureLeadAsync(string salesperson, string name)
    {
        using var staff = await ClientAsync(salesperson, "dealer-staff");
        using var lead = await PostAsync(staff, "/api/showroom/leads", new
        {
            source = "WalkIn", name, email = $"{Guid.NewGuid():N}@example.test", budget = 31000m, listedPrice = 30000m, currency = "EUR", financePreApproved = true,
        });
        return lead.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>The salesperson calls the lead (2 points, the lead becomes contacted) and books its test drive (10 points).</summary>
    public async Task BookTestDriveAsync(string salesperson, string leadId)
    {
        using var staff = await ClientAsync(salesperson, "dealer-staff");
        using var call = await PostAsync(staff, $"/api/showroom/leads/{leadId}/activities", new { kind = "Call", note = "Books a test drive" });
        using var stage = await PostAsync(staff, $"/api/showroom/leads/{leadId}/stage", new { stage = "TestDrive" });
    }

    /// <summary>
    /// Sells a two-year drivetrain contract in Germany (595 EUR with VAT, paid once) as the counter and the customer's app
    /// do, waits until its payment workflow collected the price, then has the workshop claim a gearbox repair (800 EUR,
    /// 750 paid after the 50 deductible) and tyres (not covered, rejected). Answers the contract's id.
    /// </summary>
    public async Task<string> SellServiceContractWithClaimsAsync(string customerId, string customerName)
    {
        var productId = await CreateServiceContractProductAsync();
        using var staff = await ClientAsync("console-test-staff", "dealer-staff");
        using var quote = await PostAsync(staff, "/api/service-contract-quotes", new
        {
            productId,
            customerId,
            jurisdiction = "DE",
            vin = NewVin(),
            model = "aurora-s",
            firstRegistered = DateOnly.FromDateTime(DateTime.UtcNow.AddYears(-2)),
            odometerKm = 30000,
        });
        var contractId = await AcceptServiceContractQuoteAsync(customerId, customerName, quote.RootElement.GetProperty("id").GetString()!);
        await WaitForServiceContractPaymentAsync(contractId);

        using var workshop = await ClientAsync("console-test-workshop", "workshop-staff");
        using var gearbox = await PostAsync(workshop, $"/api/service-contracts/{contractId}/claims", new
        {
            coverageItem = "gearbox", amount = 800m, odometerKm = 31000, description = "Gearbox bearing replaced", workshopJobId = "job-console-1",
        });
        using var tyres = await PostAsync(workshop, $"/api/service-contracts/{contractId}/claims", new
        {
            coverageItem = "tyres", amount = 300m, odometerKm = 31000, description = "Four tyres",
        });
        return contractId;
    }

    /// <summary>
    /// A product, as a dealership admin publishes it: engine (two claims at most) and gearbox for 24 months or 40,000 km,
    /// 500 EUR net in DE with a 50 EUR deductible (595.00 EUR with USt.), 1,000 EUR a claim, 1,500 EUR in all.
    /// </summary>
    public async Task<string> CreateServiceContractProductAsync()
    {
        using var admin = await ClientAsync("console-test-manager", "dealer-admin");
        using var product = await PostAsync(admin, "/api/service-contract-products", new
        {
            name = "Drivetrain Plus",
            terms = new
            {
                coverage = new object[] { new { code = "engine", name = "Engine", maxClaims = 2 }, new { code = "gearbox", name = "Gearbox" } },
                termMonths = 24,
                termKilometres = 40000,
                eligibility = new { maxVehicleAgeMonths = 96, maxOdometerKm = 150000, models = Array.Empty<string>() },
                prices = new[]
                {
                    new
                    {
                        jurisdiction = "DE", currency = "EUR", netPrice = 500m, deductible = 50m, limitPerClaim = 1000m, totalLimit = 1500m,
                        ageBands = Array.Empty<object>(), mileageBands = Array.Empty<object>(), modelSurcharges = Array.Empty<object>(),
                    },
                },
            },
        });
        return product.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>The sale, as the customer makes it in their app: they accept the quote's document by its hash; answers the contract's id.</summary>
    public async Task<string> AcceptServiceContractQuoteAsync(string customerId, string customerName, string quoteId)
    {
        using var customer = await ClientAsync(customerId, "customer");
        using var quote = JsonDocument.Parse(await customer.GetStringAsync($"/api/service-contract-quotes/{quoteId}"));
        using var sale = await PostAsync(customer, $"/api/service-contract-quotes/{quoteId}/acceptance", new
        {
            name = customerName,
            documentHash = quote.RootElement.GetProperty("documentHash").GetString(),
        });
        return sale.RootElement.GetProperty("contract").GetProperty("id").GetString()!;
    }

    /// <summary>Until the contract's workflow collected its first instalment from the payments simulator (a refund is of what was paid).</summary>
    public async Task WaitForServiceContractPaymentAsync(string contractId)
    {
        using var staff = await ClientAsync("console-test-staff", "dealer-staff");
        await Eventually.UntilAsync(async () =>
            {
                using var json = JsonDocument.Parse(await staff.GetStringAsync($"/api/service-contracts/{contractId}"));
                return json.RootElement.GetProperty("contract").GetProperty("instalments").EnumerateArray()
                    .Any(i => i.GetProperty("attempts").EnumerateArray().Any(a => a.GetProperty("succeeded").GetBoolean()));
            },
            $"the price of contract {contractId} to be collected", TimeSpan.FromSeconds(60), cancellation: CancellationToken.None);
    }

    /// <summary>A contract as the API stores it (the <c>contract</c> of <c>GET /api/service-contracts/{id}</c>, its state beside it).</summary>
    public async Task<JsonElement> ServiceContractAsync(string contractId)
    {
        using var staff = await ClientAsync("console-test-staff", "dealer-staff");
        using var json = JsonDocument.Parse(await staff.GetStringAsync($"/api/service-contracts/{contractId}"));
        return json.RootElement.Clone();
    }

    /// <summary>Sets up a bay of the dealership's workshop through the API, as the workshop's staff do.</summary>
    public async Task PutWorkshopBayAsync(string id, string name)
    {
        using var staff = await ClientAsync("console-test-advisor", "workshop-staff");
        using var response = await staff.PutAsJsonAsync($"/api/workshop/bays/{id}", new { name, location = "main" });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A technician with <paramref name="skill"/> on shift every day from 06:00 to 20:00 UTC, so any day's booking finds them.</summary>
    public async Task PutWorkshopTechnicianAsync(string id, string name, string skill)
    {
        using var staff = await ClientAsync("console-test-advisor", "workshop-staff");
        var shifts = Enum.GetNames<DayOfWeek>().Select(day => new { day, start = "06:00:00", end = "20:00:00" }).ToArray();
        using var response = await staff.PutAsJsonAsync($"/api/workshop/technicians/{id}", new { name, skills = new[] { skill }, shifts });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Books a bay for a customer's vehicle through the API, as a service advisor does; answers the booking's id.</summary>
    public async Task<string> BookWorkshopSlotAsync(string bayId, string skill, string vin, string customerId, DateTimeOffset start, int hours)
    {
        using var staff = await ClientAsync("console-test-advisor", "workshop-staff");
        using var booking = await PostAsync(staff, "/api/workshop/bookings", new { customerId, vehicleId = vin, bayId, skill, start, hours });
        return booking.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Checks the booked vehicle in through the API (it opens the service job); answers the job's id.</summary>
    public async Task<string> CheckInWorkshopBookingAsync(string bookingId, int odometerKm, int fuelLevelPercent)
    {
        using var staff = await ClientAsync("console-test-advisor", "workshop-staff");
        using var job = await PostAsync(staff, $"/api/workshop/bookings/{bookingId}/check-in", new { odometerKm, fuelLevelPercent });
        return job.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>A service job's status as the API answers it to the workshop's staff.</summary>
    public async Task<string?> WorkshopJobStatusAsync(string jobId)
    {
        using var staff = await ClientAsync("console-test-advisor", "workshop-staff");
        using var json = JsonDocument.Parse(await staff.GetStringAsync($"/api/workshop/jobs/{jobId}"));
        return json.RootElement.GetProperty("status").GetString();
    }

    private static async Task<JsonDocument> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text);
    }

    public static string InstanceIdOf(string orderId) => string.Create(CultureInfo.InvariantCulture, $"{Tenant}:order:{orderId}");
}
