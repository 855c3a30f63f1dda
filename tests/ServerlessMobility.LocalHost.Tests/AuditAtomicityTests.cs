using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Storage.AzureStorage;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// Issue 16 item 8: a change and its audit record commit together. The audit chain's transaction against the real
/// Azurite is made to fail once (a pipeline policy on the table client); the listing is created all the same, so its
/// record must still reach the chain, and a chain that verifies must hold it.
/// </summary>
public class AuditAtomicityTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Fails the next entity-group transactions (the only batches the platform sends are the audit chain's).</summary>
    private sealed class FailBatches : FaultPolicy
    {
        private int _remaining;

        public void FailNext(int count) => Interlocked.Exchange(ref _remaining, count);

        protected override void Trip(HttpMessage message)
        {
            if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal) && Interlocked.Decrement(ref _remaining) >= 0)
            {
                throw new RequestFailedException(503, "Injected: the audit chain's transaction failed.");
            }
        }
    }

    [Fact]
    public async Task AuditChainWriteFails_TheCreatedListingStillGetsItsRecord_AndTheChainThatVerifiesHoldsIt()
    {
        var fault = new FailBatches();
        await using var api = await TestApi.StartAsync(
            emulators,
            overrides: new Dictionary<string, string?> { ["Audit:SettleAfter"] = "00:00:00" },
            services: services => services.AddSingleton(new StorageClientPolicy(fault)));
        var agent = await api.TokenAsync("agent-1", "dealer-audit-fault", "agent");
        var admin = await api.TokenAsync("admin-1", "dealer-audit-fault", "admin");

        fault.FailNext(1);
        using var create = TestApi.Request(HttpMethod.Post, "/api/listings", agent, Isolation.IsolationWorld.Listing());
        using var created = await api.Client.SendAsync(create, Ct);
        fault.FailNext(0);

        using var listRequest = TestApi.Request(HttpMethod.Get, "/api/listings", agent);
        var listings = await (await api.Client.SendAsync(listRequest, Ct)).Content.ReadAsStringAsync(Ct);
        using var verifyRequest = TestApi.Request(HttpMethod.Get, "/api/admin/audit/verify", admin);
        using var verifyResponse = await api.Client.SendAsync(verifyRequest, Ct);
        var verification = await verifyResponse.Content.ReadFromJsonAsync<JsonElement>(Ct);
        using var recordsRequest = TestApi.Request(HttpMethod.Get, "/api/admin/audit/records", admin);
        var records = await (await api.Client.SendAsync(recordsRequest, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Contains("Boxer", listings, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(verification.GetProperty("isValid").GetBoolean(), verification.GetRawText());
        Assert.Contains(records.EnumerateArray(), r => r.GetProperty("action").GetString() == "POST /api/listings" && r.GetProperty("actor").GetString() == "agent-1");
        Assert.Equal(1, verification.GetProperty("verifiedRecords").GetInt64());
    }

    [Fact]
    public async Task AuditOutboxCannotBeWritten_NothingChanges()
    {
        var fault = new FailAllWritesTo("AuditLedger");
        await using var api = await TestApi.StartAsync(emulators, services: services => services.AddSingleton(new StorageClientPolicy(fault)));
        var agent = await api.TokenAsync("agent-1", "dealer-audit-down", "agent");

        fault.Armed = true;
        using var create = TestApi.Request(HttpMethod.Post, "/api/listings", agent, Isolation.IsolationWorld.Listing());
        using var created = await api.Client.SendAsync(create, Ct);
        fault.Armed = false;
        using var listRequest = TestApi.Request(HttpMethod.Get, "/api/listings", agent);
        var listings = await (await api.Client.SendAsync(listRequest, Ct)).Content.ReadAsStringAsync(Ct);

        Assert.True((int)created.StatusCode >= 500, $"{created.StatusCode}");
        Assert.Equal("application/problem+json", created.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("Boxer", listings, StringComparison.Ordinal);
    }

    /// <summary>Fails every write to one table while armed (reads pass).</summary>
    private sealed class FailAllWritesTo(string table) : FaultPolicy
    {
        public volatile bool Armed;

        protected override void Trip(HttpMessage message)
        {
            if (Armed && message.Request.Method != RequestMethod.Get
                && (message.Request.Uri.Path.Contains(table, StringComparison.Ordinal) || message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal)))
            {
                throw new RequestFailedException(503, "Injected: the audit ledger is unavailable.");
            }
        }
    }

    /// <summary>A storage pipeline policy that may throw before a request is sent, standing in for a failing storage call.</summary>
    private abstract class FaultPolicy : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Trip(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Trip(message);
            return ProcessNextAsync(message, pipeline);
        }

        /// <summary>Throws when this request is to fail.</summary>
        protected abstract void Trip(HttpMessage message);
    }
}
