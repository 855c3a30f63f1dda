using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// A request that meets a dependency out of service answers 503 with Retry-After, naming the dependency, instead of a
/// 500 that reads as a bug: the real SDKs against a Cosmos endpoint where nothing listens and an Azurite that was stopped.
/// </summary>
public class DependencyOutageTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CosmosDown_ReadOfAStoredDocument_Answers503NamingCosmos_WithRetryAfter()
    {
        await using var factory = LocalHostFactory.WithoutDurableWorker(emulators);
        factory.Settings["CosmosDb:Endpoint"] = $"https://127.0.0.1:{FreeTcpPort.Next()}/";
        using var client = factory.CreateClient();
        var token = await DevTokens.IssueAsync(client, "outage-staff", "dealer-outage", "dealer-staff");

        var clock = Stopwatch.StartNew();
        using var request = TestApi.Request(HttpMethod.Get, "/api/showroom/inventory/WSMDWN00000000001", token);
        using var response = await client.SendAsync(request, Ct);

        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("5", Assert.Single(response.Headers.GetValues("Retry-After")));
        Assert.Contains("Cosmos DB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", problem.GetRawText(), StringComparison.Ordinal);
        Assert.True(problem.TryGetProperty("traceId", out _), problem.GetRawText());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"the 503 took {clock.Elapsed}");
    }

    [Fact]
    public async Task AzuriteStopped_IdempotentWrite_Answers503NamingStorage()
    {
        // A private Azurite, so stopping it does not disturb the tests sharing the assembly's one.
        var azurite = await AzuriteProcess.StartAsync();
        await using var factory = LocalHostFactory.WithoutDurableWorker(emulators);
        factory.Settings["Storage:ConnectionString"] = azurite.ConnectionString;
        using var client = factory.CreateClient();
        var token = await DevTokens.IssueAsync(client, "outage-admin", "dealer-outage", "dealer-admin");
        await azurite.DisposeAsync();

        using var request = TestApi.Request(HttpMethod.Post, "/api/showroom/inventory", token, new { vin = "WSMDWN00000000002" });
        request.Headers.Add("Idempotency-Key", "outage-1");
        using var response = await client.SendAsync(request, Ct);

        var problem = await HttpAssertions.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.True(response.Headers.Contains("Retry-After"));
        Assert.Contains("Azure Storage", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, problem.GetProperty("title").ValueKind);
    }
}
