using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Durable.Tests;

/// <summary>
/// The Durable-Functions-shaped management API and the tenant-facing workflow status (/api/workflows/{instanceId})
/// over HTTP on the in-process local host, with development tokens. Every case runs on both paths the management
/// API is mapped on: the built-in one's (/runtime/webhooks/durabletask, local host only) and /api/workflows (both
/// hosts; the only one that reaches it in Azure), which must behave alike and hand out URIs of their own path.
/// </summary>
public class ManagementApiTests(LocalHostWithTestOrchestrations host) : IClassFixture<LocalHostWithTestOrchestrations>
{
    private const string Runtime = "/runtime/webhooks/durabletask";
    private const string Api = "/api/workflows";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An instance id of <paramref name="tenantId"/>, unique to this run.</summary>
    private static string IdOf(string tenantId, string flow) => $"{tenantId}:{flow}:{Guid.NewGuid():N}";

    private static Uri InstanceUri(string prefix, string instanceId, string? suffix = null) =>
        new($"{prefix}/instances/{Uri.EscapeDataString(instanceId)}{suffix}", UriKind.Relative);

    private static Uri StartUri(string prefix, string orchestrator, string? instanceId = null) =>
        new($"{prefix}/orchestrators/{orchestrator}{(instanceId is null ? string.Empty : "/" + Uri.EscapeDataString(instanceId))}", UriKind.Relative);

    private static Uri WorkflowUri(string instanceId) => new($"/api/workflows/{Uri.EscapeDataString(instanceId)}", UriKind.Relative);

    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task GetInstances_NoToken_Returns401ProblemDetails(string prefix)
    {
        using var client = host.CreateAnonymousClient();

        using var response = await client.GetAsync(new Uri(prefix + "/instances", UriKind.Relative), Ct);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task StartOrchestration_DealerStaff_Returns403ProblemDetails(string prefix)
    {
        using var client = await host.CreateClientAsync("dealer-staff", "tenant-a");

        using var response = await client.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Sequence, IdOf("tenant-a", "staff-start")), 2, Ct);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task StartOrchestration_Operator_Returns202CheckStatusPayloadThen200WhenCompleted(string prefix)
    {
        using var client = await host.CreateClientAsync("operator", "ops");
        var id = IdOf("ops", "http-seq");

        using var start = await client.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Sequence, id), 2, Ct);
        var payload = await start.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var status = await WaitForFinishAsync(client, new Uri(payload.GetProperty("statusQueryGetUri").GetString() + "?showHistory=true&showHistoryOutput=true"));

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Equal(id, payload.GetProperty("id").GetString());
        Assert.Equal(payload.GetProperty("statusQueryGetUri").GetString(), start.Headers.Location?.ToString());
        var instanceUri = "http://localhost" + InstanceUri(prefix, id);
        Assert.Equal(instanceUri, payload.GetProperty("statusQueryGetUri").GetString());
        foreach (var field in new[] { "sendEventPostUri", "terminatePostUri", "purgeHistoryDeleteUri", "suspendPostUri", "resumePostUri" })
        {
            Assert.StartsWith(instanceUri, payload.GetProperty(field).GetString(), StringComparison.Ordinal);
        }

        Assert.Equal("Completed", status.GetProperty("runtimeStatus").GetString());
        Assert.Equal(TestOrchestrations.Sequence, status.GetProperty("name").GetString());
        Assert.Equal(30, status.GetProperty("output").GetInt32());
        Assert.Equal(2, status.GetProperty("input").GetInt32());
        Assert.True(status.GetProperty("createdTime").GetDateTimeOffset() <= status.GetProperty("lastUpdatedTime").GetDateTimeOffset());
        var history = status.GetProperty("historyEvents").EnumerateArray().ToList();
        Assert.Equal("ExecutionStarted", history.First(e => e.GetProperty("eventType").GetString() != "OrchestratorStarted").GetProperty("eventType").GetString());
        Assert.Contains(history, e => e.GetProperty("eventType").GetString() == "TaskCompleted" && e.GetProperty("result").GetInt32() == 10);
        Assert.Contains(history, e => e.GetProperty("eventType").GetString() == "ExecutionCompleted" && e.GetProperty("result").GetInt32() == 30);
    }

    /// <summary>Without an id in the path the route has one segment less: the payload still names the request's prefix.</summary>
    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task StartOrchestration_NoInstanceId_Returns202WithTheNewIdUnderTheRequestsPrefix(string prefix)
    {
        using var client = await host.CreateClientAsync("operator", "ops");

        using var start = await client.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Sequence), 1, Ct);
        var payload = await start.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = payload.GetProperty("id").GetString()!;
        await WaitForFinishAsync(client, InstanceUri(prefix, id));

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        Assert.Equal("http://localhost" + InstanceUri(prefix, id), payload.GetProperty("statusQueryGetUri").GetString());
        Assert.Equal(payload.GetProperty("statusQueryGetUri").GetString(), start.Headers.Location?.ToString());
    }

    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task StartOrchestration_IdOfRunningInstance_Returns409AndLeavesItRunning(string prefix)
    {
        using var client = await host.CreateClientAsync("operator", "ops");
        var id = IdOf("ops", "http-twice");
        using var first = await client.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Approval, id), 0, Ct);
        await WaitForStatusAsync(prefix, client, id, "Running");

        using var second = await client.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Approval, id), 5, Ct);
        using var after = await client.GetAsync(InstanceUri(prefix, id), Ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await AssertProblemAsync(second, HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
        Assert.Equal("http://localhost" + InstanceUri(prefix, id), after.Headers.Location?.ToString());
        var status = await after.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Running", status.GetProperty("runtimeStatus").GetString());
        Assert.Equal(0, status.GetProperty("input").GetInt32());
    }

    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task GetStatus_UnknownInstance_Returns404ProblemDetails(string prefix)
    {
        using var client = await host.CreateClientAsync("operator", "ops");

        using var response = await client.GetAsync(InstanceUri(prefix, IdOf("ops", "nope")), Ct);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task StartOrchestration_UnknownName_Returns404ProblemDetails(string prefix)
    {
        using var client = await host.CreateClientAsync("operator", "ops");

        using var response = await client.PostAsync(StartUri(prefix, "NoSuchWorkflow"), null, Ct);

        await AssertProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task RaiseEventTerminatePurge_Lifecycle_Returns202Then200ThenGoneAndFinally404(string prefix)
    {
        using var client = await host.CreateClientAsync("operator", "ops");
        var approval = IdOf("ops", "http-approval");
        var cancelled = IdOf("ops", "http-terminate");
        (await client.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Approval, approval), 0, Ct)).Dispose();
        (await client.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Approval, cancelled), 0, Ct)).Dispose();
        await WaitForStatusAsync(prefix, client, approval, "Running");
        await WaitForStatusAsync(prefix, client, cancelled, "Running");

        using var raise = await client.PostAsJsonAsync(InstanceUri(prefix, approval, "/raiseEvent/" + TestOrchestrations.ApprovalEvent), "ops-lead", Ct);
        var approved = await WaitForFinishAsync(client, InstanceUri(prefix, approval));
        using var terminate = await client.PostAsync(InstanceUri(prefix, cancelled, "/terminate?reason=stop"), null, Ct);
        var terminated = await WaitForFinishAsync(client, InstanceUri(prefix, cancelled));
        using var terminateAgain = await client.PostAsync(InstanceUri(prefix, cancelled, "/terminate"), null, Ct);
        using var raiseLate = await client.PostAsJsonAsync(InstanceUri(prefix, approval, "/raiseEvent/" + TestOrchestrations.ApprovalEvent), "late", Ct);
        using var purge = await client.DeleteAsync(InstanceUri(prefix, approval), Ct);
        using var purgeAgain = await client.DeleteAsync(InstanceUri(prefix, approval), Ct);

        Assert.Equal(HttpStatusCode.Accepted, raise.StatusCode);
        Assert.Equal("approved by ops-lead", approved.GetProperty("output").GetString());
        Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        Assert.Equal("Terminated", terminated.GetProperty("runtimeStatus").GetString());
        Assert.Equal("stop", terminated.GetProperty("output").GetString());
        await AssertProblemAsync(terminateAgain, HttpStatusCode.Gone);
        await AssertProblemAsync(raiseLate, HttpStatusCode.Gone);
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        Assert.Equal(1, (await purge.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("instancesDeleted").GetInt32());
        await AssertProblemAsync(purgeAgain, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task ListInstances_TopOne_PagesWithContinuationTokenHeader(string prefix)
    {
        using var client = await host.CreateClientAsync("operator", "ops");
        var idPrefix = IdOf("ops", "list");
        var ids = Enumerable.Range(0, 3).Select(i => $"{idPrefix}:{i}").ToList();
        foreach (var id in ids)
        {
            (await client.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Sequence, id), 1, Ct)).Dispose();
        }

        var listUri = new Uri($"{prefix}/instances?top=1&instanceIdPrefix={Uri.EscapeDataString(idPrefix)}", UriKind.Relative);
        var pages = new List<List<string?>>();
        string? token = null;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, listUri);
            if (token is not null)
            {
                request.Headers.Add("x-ms-continuation-token", token);
            }

            using var response = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages.Add([.. (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().Select(e => e.GetProperty("instanceId").GetString())]);
            token = response.Headers.TryGetValues("x-ms-continuation-token", out var values) ? values.Single() : null;
        }
        while (token is not null && pages.Count <= ids.Count);
        using var invalid = await client.GetAsync(new Uri(prefix + "/instances?runtimeStatus=Sleeping", UriKind.Relative), Ct);

        Assert.Equal(ids, pages.SelectMany(page => page));
        Assert.All(pages.Where(page => page.Count > 0), page => Assert.Single(page));
        await AssertProblemAsync(invalid, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task TenantScope_OperatorsSeeEveryTenant_StaffReadOnlyTheirOwn(string prefix)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var a = $"tenant-a:scope-{run}:1";
        var b = $"tenant-b:scope-{run}:1";
        using var operatorA = await host.CreateClientAsync("operator", "tenant-a");
        using var operatorB = await host.CreateClientAsync("operator", "tenant-b");
        using var staffA = await host.CreateClientAsync("dealer-staff", "tenant-a");
        using var staffB = await host.CreateClientAsync("dealer-staff", "tenant-b");
        using var agentB = await host.CreateClientAsync("agent", "tenant-b");
        using var customerA = await host.CreateClientAsync("customer", "tenant-a");
        (await operatorA.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Approval, a), 0, Ct)).Dispose();
        (await operatorB.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Approval, b), 0, Ct)).Dispose();
        await WaitForStatusAsync(prefix, operatorA, a, "Running");
        await WaitForStatusAsync(prefix, operatorA, b, "Running");

        using var crossTenantOperator = await operatorB.GetAsync(InstanceUri(prefix, a), Ct);
        using var ownStaff = await staffA.GetAsync(InstanceUri(prefix, a), Ct);
        using var otherStaff = await staffB.GetAsync(InstanceUri(prefix, a), Ct);
        using var otherAgent = await agentB.GetAsync(InstanceUri(prefix, a), Ct);
        using var customer = await customerA.GetAsync(InstanceUri(prefix, a), Ct);
        using var staffTerminate = await staffA.PostAsync(InstanceUri(prefix, a, "/terminate"), null, Ct);
        var staffOwnList = await ListAsync(prefix, staffA, $"instanceIdPrefix={Uri.EscapeDataString($"tenant-a:scope-{run}")}");
        var staffOtherList = await ListAsync(prefix, staffA, $"instanceIdPrefix={Uri.EscapeDataString($"tenant-b:scope-{run}")}");
        var staffRelativeList = await ListAsync(prefix, staffA, $"instanceIdPrefix=scope-{run}");
        using var staffChoosesTenant = await staffA.GetAsync(new Uri(prefix + "/instances?tenantId=tenant-b", UriKind.Relative), Ct);
        var operatorOtherTenant = await ListAsync(prefix, operatorA, $"instanceIdPrefix={Uri.EscapeDataString($"tenant-b:scope-{run}")}");
        var operatorNamesTenant = await ListAsync(prefix, operatorA, $"tenantId=tenant-b&instanceIdPrefix=scope-{run}");
        using var operatorTerminatesOther = await operatorA.PostAsync(InstanceUri(prefix, b, "/terminate?reason=ops"), null, Ct);
        (await operatorA.PostAsync(InstanceUri(prefix, a, "/terminate"), null, Ct)).Dispose();

        Assert.Equal(HttpStatusCode.Accepted, crossTenantOperator.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, ownStaff.StatusCode);
        Assert.Equal(a, (await ownStaff.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("instanceId").GetString());
        await AssertProblemAsync(otherStaff, HttpStatusCode.NotFound);
        await AssertProblemAsync(otherAgent, HttpStatusCode.NotFound);
        await AssertProblemAsync(customer, HttpStatusCode.Forbidden);
        await AssertProblemAsync(staffTerminate, HttpStatusCode.Forbidden);
        Assert.Equal([a], staffOwnList);
        Assert.Empty(staffOtherList);
        Assert.Equal([a], staffRelativeList);
        await AssertProblemAsync(staffChoosesTenant, HttpStatusCode.BadRequest);
        Assert.Equal([b], operatorOtherTenant);
        Assert.Equal([b], operatorNamesTenant);
        Assert.Equal(HttpStatusCode.Accepted, operatorTerminatesOther.StatusCode);
    }

    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task SuspendResumeAndBulkPurge_Operator_Returns202ThenPurgesCompletedOnly(string prefix)
    {
        using var client = await host.CreateClientAsync("operator", "ops");

        // Tests of this class run one after the other: nothing else is created in this hub from here on.
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        var waiting = IdOf("ops", "http-suspend");
        var done = IdOf("ops", "http-done");
        (await client.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Approval, waiting), 0, Ct)).Dispose();
        (await client.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Sequence, done), 1, Ct)).Dispose();
        await WaitForFinishAsync(client, InstanceUri(prefix, done));
        await WaitForStatusAsync(prefix, client, waiting, "Running");

        using var suspend = await client.PostAsync(InstanceUri(prefix, waiting, "/suspend?reason=check"), null, Ct);
        await WaitForStatusAsync(prefix, client, waiting, "Suspended");
        using var resume = await client.PostAsync(InstanceUri(prefix, waiting, "/resume"), null, Ct);
        await WaitForStatusAsync(prefix, client, waiting, "Running");
        using var noLowerBound = await client.DeleteAsync(new Uri(prefix + "/instances?runtimeStatus=Completed", UriKind.Relative), Ct);
        using var runningStatus = await client.DeleteAsync(new Uri($"{prefix}/instances?createdTimeFrom={from}&runtimeStatus=Running", UriKind.Relative), Ct);
        using var purge = await client.DeleteAsync(new Uri($"{prefix}/instances?createdTimeFrom={from}&runtimeStatus=Completed", UriKind.Relative), Ct);
        using var purgeAgain = await client.DeleteAsync(new Uri($"{prefix}/instances?createdTimeFrom={from}&runtimeStatus=Completed", UriKind.Relative), Ct);
        using var purgeRunning = await client.DeleteAsync(InstanceUri(prefix, waiting), Ct);
        using var doneAfter = await client.GetAsync(InstanceUri(prefix, done), Ct);
        using var waitingAfter = await client.GetAsync(InstanceUri(prefix, waiting), Ct);

        Assert.Equal(HttpStatusCode.Accepted, suspend.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        await AssertProblemAsync(noLowerBound, HttpStatusCode.BadRequest);
        await AssertProblemAsync(runningStatus, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        Assert.Equal(1, (await purge.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("instancesDeleted").GetInt32());
        var nothingLeft = (await AssertProblemAsync(purgeAgain, HttpStatusCode.NotFound)).GetProperty("detail").GetString()!;
        Assert.StartsWith("No instance with runtime status Completed was created from ", nothingLeft, StringComparison.Ordinal);
        Assert.DoesNotContain("'*'", nothingLeft, StringComparison.Ordinal);
        await AssertProblemAsync(purgeRunning, HttpStatusCode.Conflict);
        await AssertProblemAsync(doneAfter, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Accepted, waitingAfter.StatusCode);
    }

    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task GetWorkflowStatus_OwnTenantsInstance_Returns202WithLocationWhileRunningThen200(string prefix)
    {
        using var operatorA = await host.CreateClientAsync("operator", "tenant-a");
        using var staffA = await host.CreateClientAsync("dealer-staff", "tenant-a");
        var id = IdOf("tenant-a", "status");
        (await operatorA.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Approval, id), 0, Ct)).Dispose();
        await WaitForStatusAsync(prefix, operatorA, id, "Running");

        using var running = await staffA.GetAsync(WorkflowUri(id), Ct);
        var runningBody = await running.Content.ReadFromJsonAsync<JsonElement>(Ct);
        (await operatorA.PostAsJsonAsync(InstanceUri(prefix, id, "/raiseEvent/" + TestOrchestrations.ApprovalEvent), "dealer-admin", Ct)).Dispose();
        var finished = await Eventually.UntilAsync(() => ReadAsync(staffA, WorkflowUri(id)), r => r.Status != HttpStatusCode.Accepted, "the workflow to finish");
        var finishedBody = finished.Body;

        Assert.Equal(HttpStatusCode.Accepted, running.StatusCode);
        Assert.Equal("http://localhost" + WorkflowUri(id), running.Headers.Location?.ToString());
        Assert.NotNull(running.Headers.RetryAfter);
        Assert.Equal("Running", runningBody.GetProperty("runtimeStatus").GetString());
        Assert.Equal("waiting", runningBody.GetProperty("customStatus").GetProperty("stage").GetString());
        Assert.Equal(HttpStatusCode.OK, finished.Status);
        Assert.Equal("Completed", finishedBody.GetProperty("runtimeStatus").GetString());
        Assert.Equal("approved by dealer-admin", finishedBody.GetProperty("output").GetString());
        Assert.Equal(JsonValueKind.Null, finishedBody.GetProperty("input").ValueKind);
    }

    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task GetWorkflowStatus_AnotherTenantsInstance_Returns404ProblemDetails(string prefix)
    {
        using var operatorA = await host.CreateClientAsync("operator", "tenant-a");
        using var staffB = await host.CreateClientAsync("dealer-staff", "tenant-b");
        var id = IdOf("tenant-a", "status-other");
        (await operatorA.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Sequence, id), 1, Ct)).Dispose();
        await WaitForFinishAsync(operatorA, InstanceUri(prefix, id));

        using var response = await staffB.GetAsync(WorkflowUri(id), Ct);
        using var unknown = await staffB.GetAsync(WorkflowUri(IdOf("tenant-b", "status-none")), Ct);

        var problem = await AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.DoesNotContain("approved", problem.GetRawText(), StringComparison.Ordinal);
        await AssertProblemAsync(unknown, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task GetWorkflowStatus_FailedInstance_ShowsWhyToOperatorsOnly(string prefix)
    {
        using var operatorA = await host.CreateClientAsync("operator", "tenant-a");
        using var staffA = await host.CreateClientAsync("dealer-staff", "tenant-a");
        var id = IdOf("tenant-a", "status-failed");
        (await operatorA.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Throwing, id), 1, Ct)).Dispose();
        await WaitForFinishAsync(operatorA, InstanceUri(prefix, id));

        using var forOperator = await operatorA.GetAsync(WorkflowUri(id), Ct);
        using var forStaff = await staffA.GetAsync(WorkflowUri(id), Ct);
        using var managementForStaff = await staffA.GetAsync(InstanceUri(prefix, id), Ct);
        var operatorBody = await forOperator.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var staffBody = await forStaff.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var managementBody = await managementForStaff.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.OK, forOperator.StatusCode);
        Assert.Equal("Failed", operatorBody.GetProperty("runtimeStatus").GetString());
        Assert.Equal("System.InvalidOperationException: The order is in an impossible state.", operatorBody.GetProperty("output").GetString());
        Assert.Equal(HttpStatusCode.OK, forStaff.StatusCode);
        Assert.Equal("Failed", staffBody.GetProperty("runtimeStatus").GetString());
        Assert.DoesNotContain("impossible state", staffBody.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("operators", staffBody.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, managementForStaff.StatusCode);
        Assert.DoesNotContain("impossible state", managementBody.GetRawText(), StringComparison.Ordinal);
    }

    /// <summary>Issue 16 item 9: the history of a failed instance showed exception types and messages to tenant staff.</summary>
    [Theory]
    [InlineData(Runtime)]
    [InlineData(Api)]
    public async Task GetStatus_FailedInstanceWithHistory_ShowsExceptionsToOperatorsOnly(string prefix)
    {
        using var operatorA = await host.CreateClientAsync("operator", "tenant-a");
        using var staffA = await host.CreateClientAsync("dealer-staff", "tenant-a");
        var id = IdOf("tenant-a", "history-failed");
        (await operatorA.PostAsJsonAsync(StartUri(prefix, TestOrchestrations.Throwing, id), 1, Ct)).Dispose();
        await WaitForFinishAsync(operatorA, InstanceUri(prefix, id));
        var withHistory = InstanceUri(prefix, id, "?showHistory=true&showHistoryOutput=true&showInput=true");

        using var forOperator = await operatorA.GetAsync(withHistory, Ct);
        using var forStaff = await staffA.GetAsync(withHistory, Ct);
        var operatorText = await forOperator.Content.ReadAsStringAsync(Ct);
        var staffText = await forStaff.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, forOperator.StatusCode);
        Assert.Contains("impossible state", operatorText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, forStaff.StatusCode);
        Assert.Contains("historyEvents", staffText, StringComparison.Ordinal);
        Assert.DoesNotContain("impossible state", staffText, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", staffText, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", staffText, StringComparison.Ordinal);
    }

    private static async Task<List<string?>> ListAsync(string prefix, HttpClient client, string query)
    {
        using var response = await client.GetAsync(new Uri($"{prefix}/instances?{query}", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).EnumerateArray().Select(e => e.GetProperty("instanceId").GetString())];
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadAsync(HttpClient client, Uri uri)
    {
        using var response = await client.GetAsync(uri, Ct);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(Ct));
    }

    /// <summary>Polls a status URI until it answers 200 (finished); anything but 202 on the way fails.</summary>
    private static async Task<JsonElement> WaitForFinishAsync(HttpClient client, Uri statusUri)
    {
        var (status, body) = await Eventually.UntilAsync(() => ReadAsync(client, statusUri), r => r.Status != HttpStatusCode.Accepted, $"{statusUri} to finish");
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    private static Task<string?> WaitForStatusAsync(string prefix, HttpClient client, string instanceId, string runtimeStatus) =>
        Eventually.UntilAsync(
            async () =>
            {
                var (status, body) = await ReadAsync(client, InstanceUri(prefix, instanceId));
                return status is HttpStatusCode.OK or HttpStatusCode.Accepted ? body.GetProperty("runtimeStatus").GetString() : status.ToString();
            },
            status => status == runtimeStatus,
            $"{instanceId} to be {runtimeStatus}");

    private static async Task<JsonElement> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
        return body;
    }
}
