using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

public class IdempotencyAndAuditTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record CreateWidget(string Name, decimal Price);

    private sealed record Widget(string Id, string Name, decimal Price);

    /// <summary>A creating endpoint that counts how often it really ran.</summary>
    private sealed class WidgetProbe
    {
        private int _created;

        public int Created => _created;

        public void Map(Microsoft.AspNetCore.Routing.RouteGroupBuilder api)
        {
            api.MapPost("/widgets", (CreateWidget command) =>
            {
                var n = Interlocked.Increment(ref _created);
                var widget = new Widget($"w-{n}", command.Name, command.Price);
                return TypedResults.Created($"/api/widgets/{widget.Id}", widget);
            }).RequireRoles(PlatformRoles.DealerStaff);
        }
    }

    private static HttpRequestMessage Post(string token, object body, string? key)
    {
        var request = TestApi.Request(HttpMethod.Post, "/api/widgets", token, body);
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }

    [Fact]
    public async Task IdempotencyKey_SameKeySameBody_ReplaysStoredResponseWithoutRerunning()
    {
        var probe = new WidgetProbe();
        await using var api = await TestApi.StartAsync(emulators, probe.Map);
        var token = await api.TokenAsync("staff-1", "dealer-a", "dealer-staff");

        using var first = Post(token, new { name = "roof box", price = 199.90m }, "key-1");
        var firstResponse = await api.Client.SendAsync(first, Ct);
        using var retry = Post(token, new { name = "roof box", price = 199.90m }, "key-1");
        var retryResponse = await api.Client.SendAsync(retry, Ct);

        Assert.Equal(HttpStatusCode.Created, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retryResponse.StatusCode);
        Assert.Equal(1, probe.Created);
        Assert.Equal("true", retryResponse.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(firstResponse.Headers.Location, retryResponse.Headers.Location);
        Assert.Equal(await firstResponse.Content.ReadAsStringAsync(Ct), await retryResponse.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task IdempotencyKey_SameKeyDifferentBody_Answers422()
    {
        var probe = new WidgetProbe();
        await using var api = await TestApi.StartAsync(emulators, probe.Map);
        var token = await api.TokenAsync("staff-1", "dealer-a", "dealer-staff");

        using var first = Post(token, new { name = "roof box", price = 199.90m }, "key-2");
        await api.Client.SendAsync(first, Ct);
        using var other = Post(token, new { name = "tow bar", price = 99m }, "key-2");
        var response = await api.Client.SendAsync(other, Ct);

        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("idempotency-key-reused", problem.GetProperty("rule").GetString());
        Assert.Equal(1, probe.Created);
    }

    [Fact]
    public async Task IdempotencyKey_IsScopedToTheCaller()
    {
        var probe = new WidgetProbe();
        await using var api = await TestApi.StartAsync(emulators, probe.Map);
        var alice = await api.TokenAsync("alice", "dealer-a", "dealer-staff");
        var bob = await api.TokenAsync("bob", "dealer-a", "dealer-staff");

        using var first = Post(alice, new { name = "roof box", price = 1m }, "shared-key");
        using var second = Post(bob, new { name = "roof box", price = 1m }, "shared-key");
        await api.Client.SendAsync(first, Ct);
        var response = await api.Client.SendAsync(second, Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.False(response.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, probe.Created);
    }

    [Fact]
    public async Task WithoutKey_EachPostRuns()
    {
        var probe = new WidgetProbe();
        await using var api = await TestApi.StartAsync(emulators, probe.Map);
        var token = await api.TokenAsync("staff-1", "dealer-a", "dealer-staff");

        using var first = Post(token, new { name = "a", price = 1m }, null);
        using var second = Post(token, new { name = "a", price = 1m }, null);
        await api.Client.SendAsync(first, Ct);
        await api.Client.SendAsync(second, Ct);

        Assert.Equal(2, probe.Created);
    }

    [Fact]
    public async Task StateChangingRequests_AreAuditedAndTheChainVerifies()
    {
        var probe = new WidgetProbe();
        await using var api = await TestApi.StartAsync(emulators, probe.Map);
        var staff = await api.TokenAsync("staff-7", "dealer-audit", "dealer-staff");
        var admin = await api.TokenAsync("admin-1", "dealer-audit", "admin");
        var otherTenantAdmin = await api.TokenAsync("admin-2", "dealer-other", "admin");

        for (var i = 0; i < 3; i++)
        {
            using var post = Post(staff, new { name = $"w{i}", price = 10m + i }, $"audit-{i}");
            Assert.Equal(HttpStatusCode.Created, (await api.Client.SendAsync(post, Ct)).StatusCode);
        }

        using var replay = Post(staff, new { name = "w0", price = 10m }, "audit-0");
        await api.Client.SendAsync(replay, Ct);

        using var recordsRequest = TestApi.Request(HttpMethod.Get, "/api/admin/audit/records", admin);
        var records = await (await api.Client.SendAsync(recordsRequest, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var verifyRequest = TestApi.Request(HttpMethod.Get, "/api/admin/audit/verify", admin);
        var verification = await (await api.Client.SendAsync(verifyRequest, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var otherRequest = TestApi.Request(HttpMethod.Get, "/api/admin/audit/records", otherTenantAdmin);
        var otherRecords = await (await api.Client.SendAsync(otherRequest, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(3, records.GetArrayLength());
        Assert.All(records.EnumerateArray(), r =>
        {
            Assert.Equal("staff-7", r.GetProperty("actor").GetString());
            Assert.Equal("POST /api/widgets", r.GetProperty("action").GetString());
            Assert.Equal(64, r.GetProperty("afterHash").GetString()!.Length);
        });
        Assert.True(verification.GetProperty("isValid").GetBoolean());
        Assert.Equal(3, verification.GetProperty("verifiedRecords").GetInt64());
        Assert.Equal(0, otherRecords.GetArrayLength());
    }

    [Fact]
    public async Task AuditLedger_RecordEditedInStorage_VerifyReportsFirstBrokenLinkOnlyToThatTenant()
    {
        var probe = new WidgetProbe();
        await using var api = await TestApi.StartAsync(emulators, probe.Map);
        var staff = await api.TokenAsync("staff-8", "dealer-tamper", "dealer-staff");
        var otherStaff = await api.TokenAsync("staff-9", "dealer-untouched", "dealer-staff");
        var admin = await api.TokenAsync("admin-1", "dealer-tamper", "admin");
        var otherAdmin = await api.TokenAsync("admin-2", "dealer-untouched", "admin");
        for (var i = 0; i < 4; i++)
        {
            using var post = Post(staff, new { name = $"t{i}", price = 20m + i }, null);
            Assert.Equal(HttpStatusCode.Created, (await api.Client.SendAsync(post, Ct)).StatusCode);
            using var otherPost = Post(otherStaff, new { name = $"u{i}", price = 30m + i }, null);
            Assert.Equal(HttpStatusCode.Created, (await api.Client.SendAsync(otherPost, Ct)).StatusCode);
        }

        // Someone with storage access rewrites who made the third change, straight in the table.
        var table = api.App.Services.GetRequiredService<ServerlessMobility.Storage.AzureStorage.StorageClients>().GetTable("AuditLedger");
        var rowKey = "r" + 3L.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
        var entity = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>("dealer-tamper", rowKey, cancellationToken: Ct)).Value;
        entity["Actor"] = "someone-else";
        await table.UpdateEntityAsync(entity, entity.ETag, Azure.Data.Tables.TableUpdateMode.Replace, Ct);

        using var verifyRequest = TestApi.Request(HttpMethod.Get, "/api/admin/audit/verify", admin);
        var verification = await (await api.Client.SendAsync(verifyRequest, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var otherVerifyRequest = TestApi.Request(HttpMethod.Get, "/api/admin/audit/verify", otherAdmin);
        var otherVerification = await (await api.Client.SendAsync(otherVerifyRequest, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.False(verification.GetProperty("isValid").GetBoolean());
        Assert.Equal(3, verification.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Equal(2, verification.GetProperty("verifiedRecords").GetInt64());
        Assert.False(string.IsNullOrEmpty(verification.GetProperty("reason").GetString()));
        Assert.True(otherVerification.GetProperty("isValid").GetBoolean());
        Assert.Equal(4, otherVerification.GetProperty("verifiedRecords").GetInt64());
    }

    [Fact]
    public async Task AuditEndpoints_NonAdmin_Answers403()
    {
        await using var api = await TestApi.StartAsync(emulators);
        var staff = await api.TokenAsync("staff-7", "dealer-a", "dealer-staff");

        using var request = TestApi.Request(HttpMethod.Get, "/api/admin/audit/verify", staff);
        var response = await api.Client.SendAsync(request, Ct);

        await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }
}
