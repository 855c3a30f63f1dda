using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// <c>/api/dev/simulators</c> exists only in Development and only for the simulators wired in the host, and keeps
/// each tenant's scripts to that tenant. The flows it drives are tested in CarAsAService.Tests and RentToOwn.Tests.
/// </summary>
public class SimulatorControlRouteTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Routes_OutsideDevelopment_AreNotMapped()
    {
        await using var api = await TestApi.StartAsync(emulators, overrides: new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Auth:Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
        });

        var routes = api.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText!).ToList();

        // With a valid operator token the answer is 404: OpenIdConnectValidationTests.Production_SimulatorControlRoutes_AreNotFound.
        Assert.Contains("/api/health", routes);
        Assert.DoesNotContain(routes, r => r.StartsWith("/api/dev/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Routes_RealPartnersOverHttp_OnlyTheStillSimulatedOnesAreControllable()
    {
        await using var api = await TestApi.StartAsync(emulators, overrides: new Dictionary<string, string?>
        {
            ["CarAsAService:Outbound:Mode"] = "Http",
            ["CarAsAService:Outbound:PaymentsBaseUrl"] = "http://127.0.0.1:9/",
            ["CarAsAService:Outbound:FactoryBaseUrl"] = "http://127.0.0.1:9/",
            ["CarAsAService:Outbound:RegistrationBaseUrl"] = "http://127.0.0.1:9/",
        });
        var token = await api.TokenAsync("op-1", "sim-http", "operator");

        using var list = await api.Client.SendAsync(TestApi.Request(HttpMethod.Get, "/api/dev/simulators", token), Ct);
        using var payments = await api.Client.SendAsync(TestApi.Request(HttpMethod.Put, "/api/dev/simulators/payment-provider/scripts/order-1", token,
            new { outcomes = new[] { new { outcome = "decline" } } }), Ct);

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var names = (await list.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("simulators").EnumerateArray().Select(s => s.GetProperty("name").GetString());
        Assert.Equal(["mobile-money", "payments"], names);
        Assert.Equal(HttpStatusCode.NotFound, payments.StatusCode);
        Assert.Equal("application/problem+json", payments.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Script_IsTheCallersTenantsOnly_AndBadInputIs400()
    {
        await using var api = await TestApi.StartAsync(emulators);
        var a = await api.TokenAsync("op-a", "sim-tenant-a", "operator");
        var b = await api.TokenAsync("admin-b", "sim-tenant-b", "admin");

        using var scripted = await api.Client.SendAsync(TestApi.Request(HttpMethod.Put, "/api/dev/simulators/factory/scripts/order-7", a,
            new { outcomes = new object[] { new { outcome = "reject", stage = "quality_check", code = "parts-shortage" }, new { outcome = "approve", times = 0 } } }), Ct);
        using var listA = await api.Client.SendAsync(TestApi.Request(HttpMethod.Get, "/api/dev/simulators", a), Ct);
        using var listB = await api.Client.SendAsync(TestApi.Request(HttpMethod.Get, "/api/dev/simulators", b), Ct);
        using var badStage = await api.Client.SendAsync(TestApi.Request(HttpMethod.Put, "/api/dev/simulators/factory/scripts/order-8", a,
            new { outcomes = new[] { new { outcome = "reject", stage = "ready_for_delivery" } } }), Ct);
        using var badOutcome = await api.Client.SendAsync(TestApi.Request(HttpMethod.Put, "/api/dev/simulators/card-payments/scripts/cust-1", a,
            new { outcomes = new[] { new { outcome = "maybe" } } }), Ct);
        using var modeOfSynchronous = await api.Client.SendAsync(TestApi.Request(HttpMethod.Put, "/api/dev/simulators/card-payments/mode", a, new { mode = "manual" }), Ct);
        using var staff = await api.Client.SendAsync(TestApi.Request(HttpMethod.Get, "/api/dev/simulators", await api.TokenAsync("staff-a", "sim-tenant-a", "dealer-staff")), Ct);

        Assert.Equal(HttpStatusCode.OK, scripted.StatusCode);
        var factoryA = (await listA.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("simulators").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "factory");
        var outcomes = factoryA.GetProperty("scripts").GetProperty("order-7").EnumerateArray().Select(o => $"{o.GetProperty("outcome").GetString()}:{o.GetProperty("times").GetInt32()}");
        Assert.Equal(["reject:1", "approve:0"], outcomes);
        var factoryB = (await listB.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("simulators").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "factory");
        Assert.Empty(factoryB.GetProperty("scripts").EnumerateObject());
        await HttpAssertions.AssertProblemAsync(badStage, HttpStatusCode.BadRequest);
        await HttpAssertions.AssertProblemAsync(badOutcome, HttpStatusCode.BadRequest);
        await HttpAssertions.AssertProblemAsync(modeOfSynchronous, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.Forbidden, staff.StatusCode);
    }
}
