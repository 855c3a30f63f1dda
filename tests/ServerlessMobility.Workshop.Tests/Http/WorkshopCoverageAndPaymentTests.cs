using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.Platform.Simulation;
using ServerlessMobility.Telemetry;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Workshop.Tests.Http;

/// <summary>
/// The workshop's hand-offs to the shared capabilities, over HTTP on the real emulators: the vehicle's service contract
/// pays the covered lines as a claim, the owner's card is charged the rest through the payments capability (a decline,
/// then a retry), and the completed service becomes the vehicle's service history (maintenance proposal, and the
/// Car-as-a-Service maintenance gate).
/// </summary>
public class WorkshopCoverageAndPaymentTests(PlatformEmulators emulators)
{
    private const string Vin = "WVWZZZ1JZXW000001";

    [Fact]
    public async Task Invoice_VehicleUnderServiceContract_BrakesClaimedOnceAndTheRestChargedAfterADecline()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync();
        var ownerId = $"owner-{Guid.NewGuid():N}"[..20];
        var contractId = await SellBrakesContractAsync(host, ownerId, deductible: 50m);

        var jobId = await DriveToCompletedAsync(host, ownerId, new
        {
            lines = new object[]
            {
                new { id = "labour", kind = "Labour", description = "Brake service", quantity = 1.5m, unitPrice = 80m, coverageItem = "brakes" },
                new { id = "pads", kind = "Part", description = "Brake pads", quantity = 2, unitPrice = 45.50m, sku = "PAD-1", location = "main", coverageItem = "brakes" },
                new { id = "wipers", kind = "Part", description = "Wiper blades", quantity = 1, unitPrice = 19.99m, sku = "WIP-1", location = "main" },
            },
        });

        // 251.09 gross, all of it brakes: the contract pays 251.09 less the 50.00 deductible; the owner owes 50.00.
        var invoice = (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/invoice", host.Staff)).GetProperty("invoice");
        Assert.Equal(251.09m, invoice.GetProperty("gross").GetProperty("amount").GetDecimal());
        var coverage = Assert.Single(invoice.GetProperty("coverage").EnumerateArray().ToList());
        Assert.Equal(("brakes", contractId, 251.09m, 201.09m), (coverage.GetProperty("coverageItem").GetString(), coverage.GetProperty("contractId").GetString(),
            coverage.GetProperty("claimed").GetProperty("amount").GetDecimal(), coverage.GetProperty("payable").GetProperty("amount").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, coverage.GetProperty("rejectionReason").ValueKind);
        Assert.Equal(50.00m, invoice.GetProperty("amountDue").GetProperty("amount").GetDecimal());
        Assert.Equal(["brakes", "brakes"], invoice.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("coverageItem").GetString()));

        // Invoicing again (a retried request) files nothing new against the contract.
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/invoice", host.Staff);
        var contract = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/service-contracts/{contractId}", host.Token("staff-sc", "dealer-staff"));
        var claim = Assert.Single(contract.GetProperty("contract").GetProperty("claims").EnumerateArray().ToList());
        Assert.Equal((jobId, "accepted", 201.09m), (claim.GetProperty("workshopJobId").GetString(), claim.GetProperty("decision").GetString()!.ToLowerInvariant(),
            claim.GetProperty("payable").GetDecimal()));

        // The provider fails once: 503, nothing recorded. Then the owner's card is declined once: the job stays invoiced with
        // the attempt on record, and the retry pays 50.00.
        var owner = host.Token(ownerId, "customer");
        var simulators = host.Factory.Services.GetRequiredService<PartnerSimulatorControl>();
        simulators.Script(PartnerSimulators.SharedPayments, host.Tenant, ownerId, [new ScriptedOutcome(SimulatedOutcomeKind.Fail, "gateway-down", Times: 1)]);
        var unavailable = await host.ExpectAsync(HttpStatusCode.ServiceUnavailable, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/charge", owner);
        Assert.Contains("-1)", unavailable.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/jobs/{jobId}", owner)).GetProperty("paymentAttempts").GetArrayLength());
        simulators.Script(PartnerSimulators.SharedPayments, host.Tenant, ownerId, [new ScriptedOutcome(SimulatedOutcomeKind.Decline, "insufficient-funds", Times: 1)]);
        var declined = await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/charge", owner);
        Assert.Equal("workshop-payment-declined", declined.GetProperty("rule").GetString());
        Assert.Contains("insufficient-funds", declined.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var afterDecline = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/jobs/{jobId}", owner);
        Assert.Equal("Invoiced", afterDecline.GetProperty("status").GetString());
        Assert.Equal("insufficient-funds", Assert.Single(afterDecline.GetProperty("paymentAttempts").EnumerateArray().ToList()).GetProperty("failureCode").GetString());

        var paid = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/charge", owner);
        Assert.Equal("Paid", paid.GetProperty("status").GetString());
        Assert.Equal(50.00m, paid.GetProperty("payment").GetProperty("amount").GetProperty("amount").GetDecimal());
        Assert.StartsWith("PAY-", paid.GetProperty("payment").GetProperty("reference").GetString(), StringComparison.Ordinal);
        var again = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/charge", owner);
        Assert.Equal(2, again.GetProperty("paymentAttempts").GetArrayLength());

        // Another owner cannot charge this job.
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/charge", host.Token("someone-else", "customer"));
    }

    [Fact]
    public async Task Invoice_ContractPaysEverything_PaidWithoutACharge()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync();
        var ownerId = $"owner-{Guid.NewGuid():N}"[..20];
        await SellBrakesContractAsync(host, ownerId, deductible: 0m);
        var jobId = await DriveToCompletedAsync(host, ownerId, new
        {
            lines = new object[] { new { id = "labour", kind = "Labour", description = "Brake service", quantity = 1m, unitPrice = 80m, coverageItem = "brakes" } },
        });

        var invoice = (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/invoice", host.Staff)).GetProperty("invoice");
        Assert.Equal(0m, invoice.GetProperty("amountDue").GetProperty("amount").GetDecimal());
        var job = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/jobs/{jobId}", host.Staff);
        Assert.Equal("Paid", job.GetProperty("status").GetString());
        Assert.Equal($"covered-{invoice.GetProperty("number").GetString()}", job.GetProperty("payment").GetProperty("reference").GetString());
    }

    [Fact]
    public async Task Invoice_NoContractForTheVehicle_ClaimRejectedWithTheReasonAndTheOwnerPaysAll()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync();
        var jobId = await DriveToCompletedAsync(host, "owner-nocover", new
        {
            lines = new object[] { new { id = "labour", kind = "Labour", description = "Brake service", quantity = 1m, unitPrice = 80m, coverageItem = "brakes" } },
        });

        var invoice = (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/invoice", host.Staff)).GetProperty("invoice");
        var coverage = Assert.Single(invoice.GetProperty("coverage").EnumerateArray().ToList());
        Assert.Equal("The vehicle has no service contract in force.", coverage.GetProperty("rejectionReason").GetString());
        Assert.Equal(95.20m, invoice.GetProperty("amountDue").GetProperty("amount").GetDecimal());
    }

    [Fact]
    public async Task Maintenance_CompletedServiceIsTheHistory_DueAYearLaterWithAProposedSlot()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync();
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/workshop/vehicles/{Vin}/maintenance", host.Staff);
        await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Get, "/api/workshop/vehicles/not-a-vin/maintenance", host.Staff);
        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Get, $"/api/workshop/vehicles/{Vin}/maintenance", host.Token("owner-m", "customer"));

        var jobId = await DriveToCompletedAsync(host, "owner-m", new
        {
            lines = new object[] { new { id = "labour", kind = "Labour", description = "Annual service", quantity = 1m, unitPrice = 80m } },
        });
        var fresh = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/vehicles/{Vin}/maintenance", host.Staff);
        Assert.False(fresh.GetProperty("due").GetBoolean());
        Assert.Equal(jobId, fresh.GetProperty("lastService").GetProperty("jobId").GetString());
        Assert.Equal(JsonValueKind.Null, fresh.GetProperty("proposal").ValueKind);

        // The maintenance gate of feature purchases reads the same history.
        var history = host.Factory.Services.GetRequiredService<ServerlessMobility.Platform.Vehicles.IServiceHistory>();
        Assert.Equal(jobId, (await history.LastServiceAsync(host.Tenant, Vin, TestContext.Current.CancellationToken))?.JobId);
        Assert.Null(await history.LastServiceAsync("another-tenant", Vin, TestContext.Current.CancellationToken));
        var gate = host.Factory.Services.GetRequiredService<IMaintenanceSystem>();
        Assert.False((await gate.GetStatusAsync(host.Tenant, Vin, TestContext.Current.CancellationToken)).Overdue);

        host.Time.Advance(TimeSpan.FromDays(366));
        var due = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/vehicles/{Vin}/maintenance", host.Staff);
        Assert.True(due.GetProperty("due").GetBoolean());
        Assert.Equal("Time", Assert.Single(due.GetProperty("reasons").EnumerateArray().ToList()).GetProperty("kind").GetString());

        // The first Tuesday 08:00 (the technicians' shift) at least a day ahead, in the free bay.
        var proposal = due.GetProperty("proposal");
        var start = proposal.GetProperty("start").GetDateTimeOffset();
        Assert.Equal((DayOfWeek.Tuesday, 8), (start.UtcDateTime.DayOfWeek, start.UtcDateTime.Hour));
        Assert.InRange(start, host.Time.GetUtcNow().AddDays(1), host.Time.GetUtcNow().AddDays(8));
        Assert.Equal(("bay-1", "tech-1", "service", 2), (proposal.GetProperty("bayId").GetString(), proposal.GetProperty("technicianId").GetString(),
            proposal.GetProperty("skill").GetString(), proposal.GetProperty("hours").GetInt32()));

        // The proposal books as it is.
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/workshop/bookings", host.Staff,
            new { customerId = "owner-m", vehicleId = Vin, bayId = "bay-1", skill = "service", start, hours = 2 });
    }

    [Fact]
    public async Task Maintenance_IntervalPassedInTelemetry_ProposedThenTheCompletedServiceClearsTheFeatureGate()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync();
        var now = host.Time.GetUtcNow();
        await host.Factory.Services.GetRequiredService<IRiskEventStore>().SaveAsync([new RiskEvent($"{Vin}-{host.Tenant}-maint", Vin, host.Tenant, RiskRules.MaintenanceDue,
            "warning", now.AddDays(-40), null, null, "Odometer 30012 km passed the 30000 km maintenance interval.")], TestContext.Current.CancellationToken);
        var gate = host.Factory.Services.GetRequiredService<IMaintenanceSystem>();
        Assert.True((await gate.GetStatusAsync(host.Tenant, Vin, TestContext.Current.CancellationToken)).Overdue);

        var due = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/vehicles/{Vin}/maintenance", host.Staff);
        var reason = Assert.Single(due.GetProperty("reasons").EnumerateArray().ToList());
        Assert.Equal(("Distance", now.AddDays(-40)), (reason.GetProperty("kind").GetString(), reason.GetProperty("since").GetDateTimeOffset()));
        Assert.Equal(JsonValueKind.Null, due.GetProperty("lastService").ValueKind);

        // A day's lead from Monday 09:00: Tuesday 09:00 is the first slot inside the shift.
        Assert.Equal(now.AddDays(1), due.GetProperty("proposal").GetProperty("start").GetDateTimeOffset());

        await DriveToCompletedAsync(host, "owner-g", new
        {
            lines = new object[] { new { id = "labour", kind = "Labour", description = "30,000 km service", quantity = 2m, unitPrice = 80m } },
        });
        Assert.False((await gate.GetStatusAsync(host.Tenant, Vin, TestContext.Current.CancellationToken)).Overdue);
        var serviced = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/vehicles/{Vin}/maintenance", host.Staff);
        Assert.False(serviced.GetProperty("due").GetBoolean());
    }

    /// <summary>Sells a DE contract covering "brakes" (limit 1,000 per claim) for <see cref="Vin"/> to the owner.</summary>
    private static async Task<string> SellBrakesContractAsync(WorkshopHost host, string ownerId, decimal deductible)
    {
        var product = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/service-contract-products", host.Token("admin-sc", "dealer-admin"), new
        {
            name = "Brake Care",
            terms = new
            {
                coverage = new[] { new { code = "brakes", name = "Brakes", maxClaims = (int?)null } },
                termMonths = 24,
                termKilometres = (int?)null,
                eligibility = new { maxVehicleAgeMonths = 96, maxOdometerKm = 150_000, models = Array.Empty<string>() },
                prices = new[]
                {
                    new
                    {
                        jurisdiction = "DE", currency = "EUR", netPrice = 400m, deductible, limitPerClaim = 1_000m, totalLimit = 5_000m,
                        ageBands = Array.Empty<object>(), mileageBands = Array.Empty<object>(), modelSurcharges = Array.Empty<object>(),
                    },
                },
            },
        });
        var quote = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/service-contract-quotes", host.Token("staff-sc", "dealer-staff"), new
        {
            productId = product.GetProperty("id").GetString(), customerId = ownerId, jurisdiction = "DE", vin = Vin, model = "Golf",
            firstRegistered = DateOnly.FromDateTime(WorkshopHost.FakeClockStart.UtcDateTime).AddMonths(-24), odometerKm = 30_000,
        });
        var accepted = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/service-contract-quotes/{quote.GetProperty("id").GetString()}/acceptance",
            host.Token(ownerId, "customer"), new { name = "Olga Owner", documentHash = quote.GetProperty("documentHash").GetString() });
        return accepted.GetProperty("contract").GetProperty("id").GetString()!;
    }

    /// <summary>Books as the owner, checks in, estimates, approves every line but "wipers" by link, reserves the parts and completes.</summary>
    private static async Task<string> DriveToCompletedAsync(WorkshopHost host, string ownerId, object estimate)
    {
        var booking = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/workshop/bookings", host.Token(ownerId, "customer"),
            new { customerId = ownerId, vehicleId = Vin, bayId = "bay-1", skill = "service", start = WorkshopHost.TuesdayEight, hours = 2 });
        var job = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/workshop/bookings/{booking.GetProperty("id").GetString()}/check-in", host.Staff,
            new { odometerKm = 42_000, fuelLevelPercent = 60 });
        var jobId = job.GetProperty("id").GetString()!;
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/status", host.Staff, new { status = "Inspecting" });
        var proposed = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/workshop/jobs/{jobId}/estimate", host.Staff, estimate);
        var link = (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/approval-links", host.Staff)).GetProperty("url").GetString()!;
        var decisions = proposed.GetProperty("lines").EnumerateArray()
            .Select(l => l.GetProperty("id").GetString()!)
            .Select(id => new { lineId = id, approved = id != "wipers" })
            .ToList();
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, link, null, new { decisions });
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/part-reservations", host.Staff);
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/status", host.Staff, new { status = "Completed" });
        return jobId;
    }
}
