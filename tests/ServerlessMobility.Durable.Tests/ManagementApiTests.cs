using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Durable.Diagnostics;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Durable.Tests;

/// <summary>The Durable-Functions-shaped management API on the in-process local host.</summary>
public class ManagementApiTests(PlatformEmulators emulators)
{
    private const string Base = "/runtime/webhooks/durabletask";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LocalHostFactory CreateFactory()
    {
        var factory = new LocalHostFactory(emulators);
        factory.Settings["Durable:MaxPollInterval"] = "00:00:00.100";
        // The broker is not under test here, and its shutdown races when hosts start and stop quickly
        // (MqttTcpServerAdapter.Cleanup: "Collection was modified"; reported to the broker's owner).
        factory.Settings["Mqtt:Enabled"] = "false";
        factory.Settings["Durable:TimerPollInterval"] = "00:00:00.050";
        factory.ConfigureTestServices = services =>
        {
            services.AddDiagnosticWorkflows();
            TestWorkflows.Register(services);
        };
        return factory;
    }

    private static async Task<HttpClient> ClientAsync(LocalHostFactory factory, string role, string tenant = "ops")
    {
        var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/dev/token", new { subject = "op-1", tenantId = tenant, roles = new[] { role } }, Ct);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonElement> WaitForCompletionAsync(HttpClient client, string statusUri)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await client.GetAsync(new Uri(statusUri + "?showHistory=true&showHistoryOutput=true"), Ct);
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            }

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await Task.Delay(100, Ct);
        }
    }

    [Fact]
    public async Task GetInstances_NoToken_Returns401ProblemDetails()
    {
        await using var factory = CreateFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri(Base + "/instances", UriKind.Relative), Ct);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task StartOrchestration_DealerStaffRole_Returns403ProblemDetails()
    {
        await using var factory = CreateFactory();
        using var client = await ClientAsync(factory, "dealer-staff");

        var response = await client.PostAsJsonAsync(Base + "/orchestrators/Test.Sequence", 2, Ct);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task StartOrchestration_Operator_Returns202CheckStatusPayloadThen200WhenCompleted()
    {
        await using var factory = CreateFactory();
        using var client = await ClientAsync(factory, "operator");

        var start = await client.PostAsJsonAsync(Base + "/orchestrators/Test.Sequence/http-seq-1", 2, Ct);
        var payload = await start.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var status = await WaitForCompletionAsync(client, payload.GetProperty("statusQueryGetUri").GetString()!);

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Equal("http-seq-1", payload.GetProperty("id").GetString());
        Assert.Equal(payload.GetProperty("statusQueryGetUri").GetString(), start.Headers.Location!.ToString());
        foreach (var field in new[] { "sendEventPostUri", "terminatePostUri", "purgeHistoryDeleteUri", "suspendPostUri", "resumePostUri" })
        {
            Assert.StartsWith("http://localhost/runtime/webhooks/durabletask/instances/http-seq-1", payload.GetProperty(field).GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
        Assert.Equal("Test.Sequence", status.GetProperty("name").GetString());
        Assert.Equal(30, status.GetProperty("output").GetInt32());
        Assert.Equal(2, status.GetProperty("input").GetInt32());
        Assert.True(status.GetProperty("createdTime").GetDateTimeOffset() <= status.GetProperty("lastUpdatedTime").GetDateTimeOffset());
        Assert.Contains(status.GetProperty("historyEvents").EnumerateArray(), e => e.GetProperty("eventType").GetString() == "TaskCompleted" && e.GetProperty("result").GetInt32() == 10);
    }

    [Fact]
    public async Task GetStatus_UnknownInstance_Returns404ProblemDetails()
    {
        await using var factory = CreateFactory();
        using var client = await ClientAsync(factory, "operator");

        var response = await client.GetAsync(new Uri(Base + "/instances/nope", UriKind.Relative), Ct);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task StartOrchestration_UnknownName_Returns404ProblemDetails()
    {
        await using var factory = CreateFactory();
        using var client = await ClientAsync(factory, "operator");

        var response = await client.PostAsync(new Uri(Base + "/orchestrators/NoSuchWorkflow", UriKind.Relative), null, Ct);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RaiseEventTerminatePurge_Lifecycle_Returns202Then200AndFinally404()
    {
        await using var factory = CreateFactory();
        using var client = await ClientAsync(factory, "operator");
        await client.PostAsJsonAsync(Base + "/orchestrators/Test.Approval/http-approval", 0, Ct);
        await client.PostAsync(new Uri(Base + "/orchestrators/Test.Approval/http-terminate", UriKind.Relative), null, Ct);

        var raise = await client.PostAsJsonAsync(Base + "/instances/http-approval/raiseEvent/Approval", "ops-lead", Ct);
        var approved = await WaitForCompletionAsync(client, "http://localhost" + Base + "/instances/http-approval");
        var terminate = await client.PostAsync(new Uri(Base + "/instances/http-terminate/terminate?reason=stop", UriKind.Relative), null, Ct);
        var terminated = await WaitForCompletionAsync(client, "http://localhost" + Base + "/instances/http-terminate");
        var terminateAgain = await client.PostAsync(new Uri(Base + "/instances/http-terminate/terminate", UriKind.Relative), null, Ct);
        var purge = await client.DeleteAsync(new Uri(Base + "/instances/http-approval", UriKind.Relative), Ct);
        var purgeAgain = await client.DeleteAsync(new Uri(Base + "/instances/http-approval", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Accepted, raise.StatusCode);
        Assert.Equal("approved by ops-lead", approved.GetProperty("output").GetString());
        Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        Assert.Equal("Terminated", terminated.GetProperty("runtimeStatus").GetString());
        await AssertProblemAsync(terminateAgain, HttpStatusCode.Gone);
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        Assert.Equal(1, (await purge.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("instancesDeleted").GetInt32());
        await AssertProblemAsync(purgeAgain, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListInstances_TopOne_ReturnsContinuationTokenHeader()
    {
        await using var factory = CreateFactory();
        using var client = await ClientAsync(factory, "operator");
        for (var i = 0; i < 3; i++)
        {
            await client.PostAsJsonAsync($"{Base}/orchestrators/Test.Sequence/list-http-{i}", 1, Ct);
        }

        var first = await client.GetAsync(new Uri(Base + "/instances?top=2&instanceIdPrefix=list-http-", UriKind.Relative), Ct);
        var token = first.Headers.GetValues("x-ms-continuation-token").Single();
        using var next = new HttpRequestMessage(HttpMethod.Get, Base + "/instances?top=2&instanceIdPrefix=list-http-");
        next.Headers.Add("x-ms-continuation-token", token);
        var second = await client.SendAsync(next, Ct);
        var invalid = await client.GetAsync(new Uri(Base + "/instances?runtimeStatus=Sleeping", UriKind.Relative), Ct);

        var firstPage = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var secondPage = await second.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(["list-http-0", "list-http-1"], firstPage.EnumerateArray().Select(e => e.GetProperty("instanceId").GetString()));
        Assert.Equal(["list-http-2"], secondPage.EnumerateArray().Select(e => e.GetProperty("instanceId").GetString()));
        await AssertProblemAsync(invalid, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TenantScope_OperatorsSeeEveryTenant_StaffReadOnlyTheirOwn()
    {
        await using var factory = CreateFactory();
        using var operatorA = await ClientAsync(factory, "operator", "tenant-a");
        using var operatorB = await ClientAsync(factory, "operator", "tenant-b");
        using var staffA = await ClientAsync(factory, "dealer-staff", "tenant-a");
        using var staffB = await ClientAsync(factory, "dealer-staff", "tenant-b");
        using var agentB = await ClientAsync(factory, "agent", "tenant-b");
        using var customerA = await ClientAsync(factory, "customer", "tenant-a");
        await operatorA.PostAsJsonAsync(Base + "/orchestrators/Test.Approval/scope-a", 0, Ct);
        await operatorB.PostAsJsonAsync(Base + "/orchestrators/Test.Approval/scope-b", 0, Ct);

        var crossTenantOperator = await operatorB.GetAsync(new Uri(Base + "/instances/scope-a", UriKind.Relative), Ct);
        var ownStaff = await staffA.GetAsync(new Uri(Base + "/instances/scope-a", UriKind.Relative), Ct);
        var otherStaff = await staffB.GetAsync(new Uri(Base + "/instances/scope-a", UriKind.Relative), Ct);
        var otherAgent = await agentB.GetAsync(new Uri(Base + "/instances/scope-a", UriKind.Relative), Ct);
        var customer = await customerA.GetAsync(new Uri(Base + "/instances/scope-a", UriKind.Relative), Ct);
        var staffTerminate = await staffA.PostAsync(new Uri(Base + "/instances/scope-a/terminate", UriKind.Relative), null, Ct);
        var staffList = await staffA.GetAsync(new Uri(Base + "/instances?instanceIdPrefix=scope-", UriKind.Relative), Ct);
        var staffChoosesTenant = await staffA.GetAsync(new Uri(Base + "/instances?tenantId=tenant-b", UriKind.Relative), Ct);
        var operatorList = await operatorA.GetAsync(new Uri(Base + "/instances?instanceIdPrefix=scope-", UriKind.Relative), Ct);
        var operatorOneTenant = await operatorA.GetAsync(new Uri(Base + "/instances?instanceIdPrefix=scope-&tenantId=tenant-b", UriKind.Relative), Ct);
        var operatorTerminatesOther = await operatorA.PostAsync(new Uri(Base + "/instances/scope-b/terminate?reason=ops", UriKind.Relative), null, Ct);

        Assert.Equal(HttpStatusCode.Accepted, crossTenantOperator.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, ownStaff.StatusCode);
        Assert.Equal("scope-a", (await ownStaff.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("instanceId").GetString());
        await AssertProblemAsync(otherStaff, HttpStatusCode.NotFound);
        await AssertProblemAsync(otherAgent, HttpStatusCode.NotFound);
        await AssertProblemAsync(customer, HttpStatusCode.Forbidden);
        await AssertProblemAsync(staffTerminate, HttpStatusCode.Forbidden);
        Assert.Equal(["scope-a"], (await staffList.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().Select(e => e.GetProperty("instanceId").GetString()));
        await AssertProblemAsync(staffChoosesTenant, HttpStatusCode.BadRequest);
        Assert.Equal(["scope-a", "scope-b"], (await operatorList.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().Select(e => e.GetProperty("instanceId").GetString()));
        Assert.Equal(["scope-b"], (await operatorOneTenant.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().Select(e => e.GetProperty("instanceId").GetString()));
        Assert.Equal(HttpStatusCode.Accepted, operatorTerminatesOther.StatusCode);
        await operatorA.PostAsync(new Uri(Base + "/instances/scope-a/terminate", UriKind.Relative), null, Ct);
    }

    [Fact]
    public async Task SuspendResumeAndBulkPurge_Operator_Returns202ThenPurgesCompletedOnly()
    {
        await using var factory = CreateFactory();
        using var client = await ClientAsync(factory, "operator");
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"));
        await client.PostAsJsonAsync(Base + "/orchestrators/Test.Approval/http-suspend", 0, Ct);
        await client.PostAsJsonAsync(Base + "/orchestrators/Test.Sequence/http-done", 1, Ct);
        await WaitForCompletionAsync(client, "http://localhost" + Base + "/instances/http-done");

        var suspend = await client.PostAsync(new Uri(Base + "/instances/http-suspend/suspend?reason=check", UriKind.Relative), null, Ct);
        var suspended = await WaitForStatusAsync(client, "http-suspend", "Suspended");
        var resume = await client.PostAsync(new Uri(Base + "/instances/http-suspend/resume", UriKind.Relative), null, Ct);
        var resumed = await WaitForStatusAsync(client, "http-suspend", "Running");
        var noLowerBound = await client.DeleteAsync(new Uri(Base + "/instances?runtimeStatus=Completed", UriKind.Relative), Ct);
        var purge = await client.DeleteAsync(new Uri($"{Base}/instances?createdTimeFrom={from}&runtimeStatus=Completed", UriKind.Relative), Ct);
        var purgeRunning = await client.DeleteAsync(new Uri(Base + "/instances/http-suspend", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.Accepted, suspend.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, suspended.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, resumed.StatusCode);
        await AssertProblemAsync(noLowerBound, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        Assert.Equal(1, (await purge.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("instancesDeleted").GetInt32());
        await AssertProblemAsync(purgeRunning, HttpStatusCode.Conflict);
    }

    private static async Task<HttpResponseMessage> WaitForStatusAsync(HttpClient client, string instanceId, string runtimeStatus)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var response = await client.GetAsync(new Uri($"{Base}/instances/{instanceId}", UriKind.Relative), Ct);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
            if (body.GetProperty("runtimeStatus").GetString() == runtimeStatus)
            {
                return response;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{instanceId} did not become {runtimeStatus}.");
            await Task.Delay(100, Ct);
        }
    }

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        return body;
    }
}
