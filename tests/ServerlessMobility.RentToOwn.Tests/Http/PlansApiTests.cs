using System.Net;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Testing;

namespace ServerlessMobility.RentToOwn.Tests.Http;

public class PlansApiTests(PlatformEmulators emulators, SharedRentToOwnHost shared) : IClassFixture<SharedRentToOwnHost>
{
    /// <summary>A valid VIN (hex digits are all allowed VIN characters) that is stable per customer.</summary>
    private static string VinFor(string customerId) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(customerId)))[..17];

    private static object PlanRequest(string customerId, DateTimeOffset firstDue) => new
    {
        customerId,
        vehicleId = VinFor(customerId),
        currency = "KES",
        vehiclePrice = 150_000m,
        deposit = 15_000m,
        financeChargeRate = 0.2m,
        frequency = "Weekly",
        numberOfInstalments = 52,
        firstDueDate = firstDue,
    };

    /// <summary>Onboards the customer and registers the vehicle in the agent's tenant, as a plan needs both.</summary>
    private static async Task PrepareAsync(RentToOwnHost host, string agentToken, string customerId)
    {
        var phone = "+2547" + VinFor(customerId).Where(char.IsDigit).Concat("00000000").Take(8).Aggregate(string.Empty, (a, c) => a + c);
        var onboard = await host.SendAsync(HttpMethod.Post, "/api/customers", agentToken, new { customerId, phone, documentType = "national-id", documentNumber = "D" + VinFor(customerId)[..8] });
        Assert.Equal(HttpStatusCode.Created, onboard.StatusCode);
        var vehicle = await host.SendAsync(HttpMethod.Post, "/api/vehicles", agentToken, new { vin = VinFor(customerId), ownerSubject = customerId, model = "Boxer 150" });
        Assert.Equal(HttpStatusCode.Created, vehicle.StatusCode);
    }

    private static async Task<string> CreatePlanAsync(RentToOwnHost host, string agentToken, string customerId)
    {
        await PrepareAsync(host, agentToken, customerId);
        var response = await host.SendAsync(HttpMethod.Post, "/api/plans", agentToken, PlanRequest(customerId, host.Time.GetUtcNow().AddDays(7)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await RentToOwnHost.ReadAsync(response)).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task GetPlan_CustomerOwnPlan_ReturnsScheduleAndArrears()
    {
        await using var host = RentToOwnHost.Start(emulators);
        var agent = await host.TokenAsync("agent-1", "tenant-p1", "agent");
        var customer = await host.TokenAsync("cust-p1", "tenant-p1", "customer");
        var id = await CreatePlanAsync(host, agent, "cust-p1");
        host.Time.Advance(TimeSpan.FromDays(8));

        var response = await host.SendAsync(HttpMethod.Get, $"/api/plans/{id}", customer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = await RentToOwnHost.ReadAsync(response);
        Assert.Equal(52, plan.GetProperty("schedule").GetArrayLength());
        Assert.Equal(3_115.38m, plan.GetProperty("arrears").GetDecimal());
        Assert.Equal(162_000m, plan.GetProperty("outstanding").GetDecimal());
        Assert.Equal(177_000m, plan.GetProperty("totalCost").GetDecimal());
    }

    [Fact]
    public async Task GetPlan_OtherTenantOrOtherCustomer_404()
    {
        var host = shared.Host;
        var agent = await host.TokenAsync("agent-1", "tenant-p2", "agent");
        var id = await CreatePlanAsync(host, agent, "cust-p2");
        var otherTenantAgent = await host.TokenAsync("agent-9", "tenant-p2-other", "agent");
        var otherCustomer = await host.TokenAsync("cust-someone-else", "tenant-p2", "customer");

        var otherTenant = await host.SendAsync(HttpMethod.Get, $"/api/plans/{id}", otherTenantAgent);
        Assert.True(otherTenant.StatusCode == HttpStatusCode.NotFound, await otherTenant.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Get, $"/api/plans/{id}/statement", otherTenantAgent)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Get, $"/api/plans/{id}", otherCustomer)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Post, $"/api/plans/{id}/payments", otherCustomer, new { providerReference = "x", amount = 10m })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(HttpMethod.Get, $"/api/plans/{id}", agent)).StatusCode);
    }

    [Fact]
    public async Task GetPlan_Operator_ReadsPlanAndStatementButNeitherPaysNorIssues_AndTheOperatorRoleLendsACustomerNothing()
    {
        var host = shared.Host;
        var agent = await host.TokenAsync("agent-1", "tenant-p2o", "agent");
        var id = await CreatePlanAsync(host, agent, "cust-p2o");
        var operatorOnly = await host.TokenAsync("operator-1", "tenant-p2o", "operator");
        var otherTenantOperator = await host.TokenAsync("operator-9", "tenant-p2o-other", "operator");
        var customerAndOperator = await host.TokenAsync("cust-someone-else", "tenant-p2o", "customer", "operator");

        var plan = await host.SendAsync(HttpMethod.Get, $"/api/plans/{id}", operatorOnly);
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        Assert.Equal("cust-p2o", (await RentToOwnHost.ReadAsync(plan)).GetProperty("customerId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await host.SendAsync(HttpMethod.Get, $"/api/plans/{id}/statement", operatorOnly)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Get, $"/api/plans/{id}", otherTenantOperator)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Post, $"/api/plans/{id}/payments", operatorOnly, new { providerReference = "op-1", amount = 10m })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await host.SendAsync(HttpMethod.Post, $"/api/plans/{id}/statement-documents", operatorOnly)).StatusCode);

        // Let in by the customer role, then judged as a customer: not theirs, so a 404 and nothing booked.
        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Post, $"/api/plans/{id}/payments", customerAndOperator, new { providerReference = "op-2", amount = 10m })).StatusCode);
        Assert.Equal(0m, (await RentToOwnHost.ReadAsync(await host.SendAsync(HttpMethod.Get, $"/api/plans/{id}", agent))).GetProperty("paid").GetDecimal());
    }

    [Fact]
    public async Task RecordPayment_DuplicateProviderReference_BookedOnce()
    {
        var host = shared.Host;
        var agent = await host.TokenAsync("agent-1", "tenant-p3", "agent");
        var customer = await host.TokenAsync("cust-p3", "tenant-p3", "customer");
        var id = await CreatePlanAsync(host, agent, "cust-p3");

        var first = await host.SendAsync(HttpMethod.Post, $"/api/plans/{id}/payments", customer, new { providerReference = "mpesa-QX1", amount = 5_000m });
        var second = await host.SendAsync(HttpMethod.Post, $"/api/plans/{id}/payments", agent, new { providerReference = "mpesa-QX1", amount = 5_000m });

        Assert.Equal("Applied", (await RentToOwnHost.ReadAsync(first)).GetProperty("result").GetString());
        var duplicate = await RentToOwnHost.ReadAsync(second);
        Assert.Equal("Duplicate", duplicate.GetProperty("result").GetString());
        Assert.Equal(5_000m, duplicate.GetProperty("plan").GetProperty("paid").GetDecimal());
        var statement = await RentToOwnHost.ReadAsync(await host.SendAsync(HttpMethod.Get, $"/api/plans/{id}/statement", customer));
        Assert.Single(statement.GetProperty("lines").EnumerateArray(), l => l.GetProperty("description").GetString() == "Payment mpesa-QX1");
    }

    [Fact]
    public async Task RecordPayment_MoreThanOutstanding_422AndNothingBooked()
    {
        var host = shared.Host;
        var agent = await host.TokenAsync("agent-1", "tenant-p4", "agent");
        var id = await CreatePlanAsync(host, agent, "cust-p4");

        var response = await host.SendAsync(HttpMethod.Post, $"/api/plans/{id}/payments", agent, new { providerReference = "too-much", amount = 200_000m });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var plan = await RentToOwnHost.ReadAsync(await host.SendAsync(HttpMethod.Get, $"/api/plans/{id}", agent));
        Assert.Equal(0m, plan.GetProperty("paid").GetDecimal());
    }

    [Fact]
    public async Task RecordPayment_EarlyPayoff_OwnershipTransferred()
    {
        var host = shared.Host;
        var agent = await host.TokenAsync("agent-1", "tenant-p5", "agent");
        var id = await CreatePlanAsync(host, agent, "cust-p5");

        var response = await host.SendAsync(HttpMethod.Post, $"/api/plans/{id}/payments", agent, new { providerReference = "payoff", amount = 162_000m });

        var plan = (await RentToOwnHost.ReadAsync(response)).GetProperty("plan");
        Assert.Equal("OwnershipTransferred", plan.GetProperty("status").GetString());
        Assert.Equal(0m, plan.GetProperty("outstanding").GetDecimal());
    }

    [Fact]
    public async Task CreatePlan_InvalidTerms_400WithFieldErrors()
    {
        var host = shared.Host;
        var agent = await host.TokenAsync("agent-1", "tenant-p6", "agent");

        var response = await host.SendAsync(HttpMethod.Post, "/api/plans", agent, new
        {
            customerId = "c",
            vehicleId = "v",
            currency = "kes",
            vehiclePrice = 100m,
            deposit = 200m,
            financeChargeRate = 0.1m,
            frequency = "Weekly",
            numberOfInstalments = 10,
            firstDueDate = host.Time.GetUtcNow(),
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await RentToOwnHost.ReadAsync(response)).GetProperty("errors").TryGetProperty("currency", out _));
    }

    [Fact]
    public async Task CreatePlan_FirstDueDateInThePast_400NamingFirstDueDateAndNoCollectionStarted()
    {
        var host = shared.Host;
        var agent = await host.TokenAsync("agent-1", "tenant-p9", "agent");
        await PrepareAsync(host, agent, "cust-p9");

        var response = await host.SendAsync(HttpMethod.Post, "/api/plans", agent, PlanRequest("cust-p9", host.Time.GetUtcNow().AddDays(-15)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await RentToOwnHost.ReadAsync(response);
        Assert.Equal(["firstDueDate"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        var store = host.Factory.Services.GetRequiredService<ServerlessMobility.RentToOwn.Collection.IPaymentPlanStore>();
        Assert.Empty(await store.ListForCustomerAsync("tenant-p9", "cust-p9", TestContext.Current.CancellationToken));
        var workflows = host.Factory.Services.GetRequiredService<DurableTaskClient>();
        await foreach (var instance in workflows.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = "tenant-p9:" }))
        {
            Assert.Fail($"No collection may start for a refused plan; found {instance.InstanceId}.");
        }
    }

    [Fact]
    public async Task CreatePlan_CustomerRole_403()
    {
        var host = shared.Host;
        var customer = await host.TokenAsync("cust-p7", "tenant-p7", "customer");

        var response = await host.SendAsync(HttpMethod.Post, "/api/plans", customer, PlanRequest("cust-p7", host.Time.GetUtcNow().AddDays(7)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task CreatePlan_OtherTenantsCustomerOrVehicle_404AndNothingStored()
    {
        var host = shared.Host;
        var agentA = await host.TokenAsync("agent-a", "tenant-p8a", "agent");
        var agentB = await host.TokenAsync("agent-b", "tenant-p8b", "agent");
        await PrepareAsync(host, agentA, "cust-p8a");
        await PrepareAsync(host, agentB, "cust-p8b");
        var otherTenantsCustomer = new Dictionary<string, object?>
        {
            ["customerId"] = "cust-p8a", ["vehicleId"] = VinFor("cust-p8b"), ["currency"] = "KES", ["vehiclePrice"] = 150_000m, ["deposit"] = 15_000m,
            ["financeChargeRate"] = 0.2m, ["frequency"] = "Weekly", ["numberOfInstalments"] = 52, ["firstDueDate"] = host.Time.GetUtcNow().AddDays(7),
        };
        var otherTenantsVehicle = new Dictionary<string, object?>(otherTenantsCustomer) { ["customerId"] = "cust-p8b", ["vehicleId"] = VinFor("cust-p8a") };
        var unregisteredVehicle = new Dictionary<string, object?>(otherTenantsCustomer) { ["customerId"] = "cust-p8b", ["vehicleId"] = "WSMUNREG000000001" };

        var customer = await host.SendAsync(HttpMethod.Post, "/api/plans", agentB, otherTenantsCustomer);
        var vehicle = await host.SendAsync(HttpMethod.Post, "/api/plans", agentB, otherTenantsVehicle);
        var unregistered = await host.SendAsync(HttpMethod.Post, "/api/plans", agentB, unregisteredVehicle);
        var assessOtherTenantsCustomer = await host.SendAsync(HttpMethod.Post, "/api/credit/assessments", agentB, new
        {
            customerId = "cust-p8a", currency = "KES", monthlyIncome = 100_000m, vehiclePrice = 150_000m, deposit = 45_000m,
            financeChargeRate = 0.2m, frequency = "Weekly", numberOfInstalments = 52, monthsInCurrentOccupation = 30,
        });

        Assert.Equal(HttpStatusCode.NotFound, customer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, vehicle.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unregistered.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, assessOtherTenantsCustomer.StatusCode);
        var store = host.Factory.Services.GetRequiredService<ServerlessMobility.RentToOwn.Collection.IPaymentPlanStore>();
        Assert.Empty(await store.ListForCustomerAsync("tenant-p8b", "cust-p8b", TestContext.Current.CancellationToken));
        Assert.Empty(await store.ListForCustomerAsync("tenant-p8b", "cust-p8a", TestContext.Current.CancellationToken));
    }
}
