using System.Net;
using System.Text.Json;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Plans;
using ServerlessMobility.RentToOwn.Tests.Http;
using ServerlessMobility.Testing;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>
/// The collection host with the workflow leaving a moving vehicle for an hour: once it has seen the vehicle of a
/// defaulted plan moving, the workflow does not immobilize it by itself within a test, so what stops the vehicle is
/// the operator's request alone.
/// </summary>
public sealed class ManualImmobilizationHost(PlatformEmulators emulators) : CollectionHost(emulators)
{
    protected override TimeSpan StationaryRecheck => TimeSpan.FromHours(1);
}

/// <summary>An operator immobilizing a defaulted plan's vehicle (POST /api/plans/{id}/immobilization) on the real engine, store and clock.</summary>
public class ManualImmobilizationTests(ManualImmobilizationHost host) : IClassFixture<ManualImmobilizationHost>
{
    private const string Reason = "Customer unreachable for two weeks, agent visit failed.";

    private static bool Immobilized(JsonElement status) => status.TryGetProperty("immobilized", out var i) && i.GetBoolean();

    /// <summary>A plan in default whose vehicle the workflow has seen moving (so it left it alone); the vehicle then parks.</summary>
    private async Task<CollectedPlan> DefaultedPlanAsync(string name, bool allowsImmobilization = true)
    {
        var plan = await host.OpenPlanAsync(name, instalments: 2, speedKmh: 42, allowsImmobilization: allowsImmobilization);
        host.Gateway.DeclineAll(plan.TenantId, plan.Id);
        var status = await plan.WaitForStageAsync(s => s.GetProperty("stage").GetString() == "defaulted", "defaulted");
        Assert.False(Immobilized(status));
        Assert.Empty(plan.Commands);
        return plan;
    }

    private async Task<HttpResponseMessage> ImmobilizeAsync(CollectedPlan plan, string role = "operator", object? body = null, string? tenantId = null) =>
        await host.Host.SendAsync(HttpMethod.Post, $"/api/plans/{plan.Id}/immobilization",
            await host.Host.TokenAsync($"{role}-{plan.Id[..6]}", tenantId ?? plan.TenantId, role), body ?? new { reason = "  " + Reason + "  " });

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task AssertNothingDoneAsync(CollectedPlan plan)
    {
        Assert.Empty(plan.Commands);
        var current = await plan.GetAsync();
        Assert.True(!current.TryGetProperty("immobilization", out var record) || record.ValueKind == JsonValueKind.Null, current.ToString());
    }

    [Fact]
    public async Task Immobilize_VehicleRefusesTheCommand_503AndTheRecordWithdrawn_ThenARetryImmobilizes()
    {
        var plan = await DefaultedPlanAsync("unreachable");
        host.Vehicles.Set(plan.TenantId, plan.VehicleId, 0);
        host.VehicleCommands.RefuseNext(plan.VehicleId, 1);

        var refused = await ProblemAsync(await ImmobilizeAsync(plan), HttpStatusCode.ServiceUnavailable);

        Assert.Contains("did not take the immobilize command", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal((SendVehicleCommandActivity.Immobilize, 503), (Assert.Single(plan.Commands).Method, plan.Commands[0].Status));
        var withdrawn = await plan.GetAsync();
        Assert.True(!withdrawn.TryGetProperty("immobilization", out var none) || none.ValueKind == JsonValueKind.Null, withdrawn.ToString());

        // The vehicle answers again: the retry records and sends as a first request would.
        var retried = await ImmobilizeAsync(plan);
        await host.ExpectAsync(HttpStatusCode.OK, retried);
        Assert.False((await RentToOwnHost.ReadAsync(retried)).GetProperty("alreadyImmobilized").GetBoolean());
        Assert.Equal([503, 200], plan.Commands.Select(c => c.Status));
        Assert.Equal(JsonValueKind.Object, (await plan.GetAsync()).GetProperty("immobilization").ValueKind);
    }

    [Fact]
    public async Task Immobilize_DefaultedPlanParkedVehicle_ImmobilizedOnceRecordedAndWorkflowSeesIt_RepeatSendsNothing()
    {
        var plan = await DefaultedPlanAsync("parked");
        host.Vehicles.Set(plan.TenantId, plan.VehicleId, 0);

        var response = await ImmobilizeAsync(plan);

        await host.ExpectAsync(HttpStatusCode.OK, response);
        var view = await RentToOwnHost.ReadAsync(response);
        Assert.False(view.GetProperty("alreadyImmobilized").GetBoolean());
        var command = Assert.Single(plan.Commands);
        Assert.Equal((SendVehicleCommandActivity.Immobilize, 200), (command.Method, command.Status));
        var current = await plan.GetAsync();
        var record = current.GetProperty("immobilization");
        Assert.Equal(($"operator-{plan.Id[..6]}", Reason), (record.GetProperty("by").GetString(), record.GetProperty("reason").GetString()));
        Assert.Equal(JsonValueKind.Null, record.GetProperty("releasedAt").ValueKind);
        Assert.True(DateTimeOffset.UtcNow - record.GetProperty("at").GetDateTimeOffset() < TimeSpan.FromMinutes(1));
        // Woken at once, not at its next look an hour away.
        await plan.WaitForStageAsync(s => s.GetProperty("stage").GetString() == "defaulted" && Immobilized(s), "immobilized by the operator");

        // The double click, and another operator a moment later: the same record, no second command.
        var again = await ImmobilizeAsync(plan, body: new { reason = "Second click of the same operator." });
        await host.ExpectAsync(HttpStatusCode.OK, again);
        var repeated = await RentToOwnHost.ReadAsync(again);
        Assert.True(repeated.GetProperty("alreadyImmobilized").GetBoolean());
        Assert.Equal(Reason, repeated.GetProperty("immobilization").GetProperty("reason").GetString());
        Assert.Single(plan.Commands);

        // Audited: the change is in the tenant's chain under its route.
        var admin = await host.Host.TokenAsync("admin-audit", plan.TenantId, "admin");
        var audit = await host.Host.SendAsync(HttpMethod.Get, "/api/admin/audit/records?take=1000", admin);
        await host.ExpectAsync(HttpStatusCode.OK, audit);
        Assert.Equal(2, (await RentToOwnHost.ReadAsync(audit)).EnumerateArray()
            .Count(r => r.GetProperty("action").GetString() == "POST /api/plans/{id}/immobilization"));
    }

    [Fact]
    public async Task Immobilize_ThenArrearsPaid_WorkflowMobilizesTheVehicleAndClosesTheRecord()
    {
        var plan = await DefaultedPlanAsync("paying");
        host.Vehicles.Set(plan.TenantId, plan.VehicleId, 0);
        await host.ExpectAsync(HttpStatusCode.OK, await ImmobilizeAsync(plan));
        await plan.WaitForStageAsync(Immobilized, "immobilized by the operator");

        await plan.PayAsync("mpesa-arrears", 5_400m);

        // A paying customer drives again: the workflow mobilizes the vehicle the operator stopped.
        var commands = await plan.WaitForAsync(() => plan.Commands, c => c.Count >= 2, "the vehicle mobilized");
        Assert.Equal([(SendVehicleCommandActivity.Immobilize, 200), (SendVehicleCommandActivity.Mobilize, 200)], commands.Select(c => (c.Method, c.Status)));
        await plan.WaitForInstalmentAsync(2);
        var current = await plan.GetAsync();
        Assert.Equal(("Active", 0m), (current.GetProperty("status").GetString(), current.GetProperty("arrears").GetDecimal()));
        var record = current.GetProperty("immobilization");
        Assert.Equal(Reason, record.GetProperty("reason").GetString());
        Assert.True(record.GetProperty("releasedAt").GetDateTimeOffset() >= commands[1].At - CollectionHost.TimerSkew, record.ToString());
        Assert.Single(plan.NotificationsOf(NotificationKind.Reinstated));
        var instance = await plan.InstanceAsync();
        Assert.False(instance!.RuntimeStatus.IsTerminal(), instance.Describe());

        // Closed: the plan is no longer immobilized, so a new request is judged afresh (the plan is not in default now).
        var problem = await ProblemAsync(await ImmobilizeAsync(plan), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(ManualImmobilizationRules.NotDefaulted, problem.GetProperty("rule").GetString());
        Assert.Equal(2, plan.Commands.Count);
    }

    [Fact]
    public async Task Immobilize_VehicleMovingOrReadingStaleOrMissing_RefusedNothingRecordedNoCommand()
    {
        var plan = await DefaultedPlanAsync("moving");

        var moving = await ProblemAsync(await ImmobilizeAsync(plan), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(ManualImmobilizationRules.Moving, moving.GetProperty("rule").GetString());
        Assert.Contains("42 km/h", moving.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Standing, says a reading from five minutes ago: where it was then, not that it stands now.
        host.Vehicles.Set(plan.TenantId, plan.VehicleId, new VehicleMotion(0, DateTimeOffset.UtcNow - TimeSpan.FromMinutes(5)));
        var stale = await ProblemAsync(await ImmobilizeAsync(plan), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(ManualImmobilizationRules.StaleReading, stale.GetProperty("rule").GetString());

        await AssertNothingDoneAsync(plan);
        var status = await plan.WaitForStageAsync(s => s.GetProperty("stage").GetString() == "defaulted", "defaulted");
        Assert.False(Immobilized(status));
    }

    [Fact]
    public async Task Immobilize_ContractForbidsImmobilization_Refused()
    {
        var plan = await DefaultedPlanAsync("forbidden", allowsImmobilization: false);
        host.Vehicles.Set(plan.TenantId, plan.VehicleId, 0);

        var problem = await ProblemAsync(await ImmobilizeAsync(plan), HttpStatusCode.UnprocessableEntity);

        Assert.Equal(ManualImmobilizationRules.ContractForbids, problem.GetProperty("rule").GetString());
        await AssertNothingDoneAsync(plan);
    }

    [Fact]
    public async Task Immobilize_PlanNotInDefault_Refused()
    {
        var plan = await host.OpenPlanAsync("current", instalments: 2, firstDueIn: TimeSpan.FromMinutes(10));

        var problem = await ProblemAsync(await ImmobilizeAsync(plan), HttpStatusCode.UnprocessableEntity);

        Assert.Equal(ManualImmobilizationRules.NotDefaulted, problem.GetProperty("rule").GetString());
        Assert.Contains("Active", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertNothingDoneAsync(plan);
    }

    [Fact]
    public async Task Immobilize_AgentOrCustomer_403_OtherTenantsOperator_404()
    {
        var plan = await host.OpenPlanAsync("roles", instalments: 2, firstDueIn: TimeSpan.FromMinutes(10));

        await ProblemAsync(await ImmobilizeAsync(plan, role: "agent"), HttpStatusCode.Forbidden);
        await ProblemAsync(await ImmobilizeAsync(plan, role: "customer"), HttpStatusCode.Forbidden);
        await ProblemAsync(await ImmobilizeAsync(plan, tenantId: plan.TenantId + "-other"), HttpStatusCode.NotFound);
        await AssertNothingDoneAsync(plan);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"reason":"   short   "}""")]
    [InlineData("""{"reason":"line one\nline two of it"}""")]
    public async Task Immobilize_ReasonMissingOrShort_400NamingReason(string body)
    {
        var plan = await host.OpenPlanAsync("reason", instalments: 2, firstDueIn: TimeSpan.FromMinutes(10));

        var problem = await ProblemAsync(await ImmobilizeAsync(plan, body: JsonDocument.Parse(body).RootElement), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _), problem.ToString());
        await AssertNothingDoneAsync(plan);
    }
}
