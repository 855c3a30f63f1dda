using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Showroom.LeadScoring;
using ServerlessMobility.Storage.AzureStorage;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>Scoring and retraining through the real pipeline, with the models as blobs on the real Azurite.</summary>
public sealed class LeadScoringHttpTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task FirstScore_TrainsV1_Retrain_StoresV2OnAzurite_AndLaterScoresUseIt()
    {
        await using var host = LeadsHost.Start(emulators);
        var sam = host.Staff("sam");
        var hot = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", sam,
            new { source = "TestDrive", name = "Hot Lead", email = "hot@example.test", budget = 36_000m, listedPrice = 30_000m, currency = "EUR", financePreApproved = true, repeatCustomer = true, hasTradeIn = true }))
            .GetProperty("id").GetString();
        var cold = (await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", sam,
            new { source = "Web", name = "Cold Lead", email = "cold@example.test", budget = 12_000m, listedPrice = 30_000m, currency = "EUR" }))
            .GetProperty("id").GetString();
        foreach (var kind in new[] { "Visit", "Call", "Email", "Note" })
        {
            await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/showroom/leads/{hot}/activities", sam, new { kind });
        }

        host.Time.Advance(TimeSpan.FromDays(40));
        var hotScore = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{hot}/score", sam);
        var coldScore = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{cold}/score", sam);

        // No model was stored: the first scoring trained v1 and stored it, with its pointer.
        Assert.Equal(1, hotScore.GetProperty("modelVersion").GetInt32());
        var store = host.Factory.Services.GetRequiredService<StorageClients>().GetContainer(LeadModelStore.ContainerName);
        Assert.True((await store.GetBlobClient(LeadModelStore.VersionBlobName(host.Tenant, 1)).ExistsAsync(TestContext.Current.CancellationToken)).Value);

        var hotProbability = hotScore.GetProperty("probability").GetDouble();
        var coldProbability = coldScore.GetProperty("probability").GetDouble();
        Assert.True(hotProbability > 0.7 && coldProbability < 0.3, $"hot {hotProbability}, cold {coldProbability}");
        var why = hotScore.GetProperty("explanation").EnumerateArray().ToList();
        Assert.Equal(LeadFeatures.Count, why.Count);
        Assert.Equal(why.Select(c => Math.Abs(c.GetProperty("contribution").GetDouble())).OrderDescending(), why.Select(c => Math.Abs(c.GetProperty("contribution").GetDouble())));
        Assert.All(why, c => Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("description").GetString())));
        Assert.Equal(1.2, why.Single(c => c.GetProperty("feature").GetString() == "budgetToPriceRatio").GetProperty("value").GetDouble(), 3);
        Assert.Equal(4, why.Single(c => c.GetProperty("feature").GetString() == "activityCount").GetProperty("value").GetDouble());
        Assert.Equal(40, why.Single(c => c.GetProperty("feature").GetString() == "daysSinceFirstContact").GetProperty("value").GetDouble());
        Assert.Equal("raises", why.Single(c => c.GetProperty("feature").GetString() == "financePreApproved").GetProperty("effect").GetString());
        Assert.Equal("lowers", coldScore.GetProperty("explanation").EnumerateArray().Single(c => c.GetProperty("feature").GetString() == "budgetToPriceRatio").GetProperty("effect").GetString());

        // Salespeople may not retrain; bad sizes are a 400.
        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, "/api/showroom/lead-model/retrain", sam, new { rows = 1000 });
        var tooFew = await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, "/api/showroom/lead-model/retrain", host.Admin, new { rows = 10 });
        Assert.True(tooFew.GetProperty("errors").TryGetProperty("rows", out _), tooFew.ToString());

        var retrained = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, "/api/showroom/lead-model/retrain", host.Admin, new { rows = 1500, seed = 7 });
        Assert.Equal(2, retrained.GetProperty("version").GetInt32());
        Assert.Equal("manager-1", retrained.GetProperty("trainedBy").GetString());
        Assert.Equal(7, retrained.GetProperty("seed").GetInt32());
        var metrics = retrained.GetProperty("metrics");
        Assert.True(metrics.GetProperty("auc").GetDouble() >= 0.75, metrics.ToString());
        Assert.InRange(metrics.GetProperty("accuracy").GetDouble(), 0.65, 1);
        Assert.Equal(1500, metrics.GetProperty("trainingRows").GetInt32() + metrics.GetProperty("testRows").GetInt32());

        // v2 is a blob on Azurite, the pointer names it, and scoring uses it from now on.
        var v2 = await store.GetBlobClient(LeadModelStore.VersionBlobName(host.Tenant, 2)).DownloadContentAsync(TestContext.Current.CancellationToken);
        Assert.True(v2.Value.Content.ToArray().Length > 1000);
        var pointer = await store.GetBlobClient(LeadModelStore.PointerBlobName(host.Tenant)).DownloadContentAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, JsonDocument.Parse(pointer.Value.Content.ToString()).RootElement.GetProperty("version").GetInt32());
        var rescored = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{hot}/score", sam);
        Assert.Equal(2, rescored.GetProperty("modelVersion").GetInt32());
        Assert.NotEqual(hotProbability, rescored.GetProperty("probability").GetDouble());
    }

    [Fact]
    public async Task AnotherInstance_PicksUpTheNewVersion_AfterTheRefreshInterval()
    {
        await using var first = LeadsHost.Start(emulators);
        var lead = (await first.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/showroom/leads", first.Staff("sam"), LeadsHost.WalkIn("jo@example.test")))
            .GetProperty("id").GetString();
        Assert.Equal(1, (await first.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{lead}/score", first.Staff("sam"))).GetProperty("modelVersion").GetInt32());

        // A second scorer on the same storage (another instance) retrains; the first sees v2 once its cached pointer is older than 30 s.
        var other = new LeadScorer(first.Factory.Services.GetRequiredService<LeadModelStore>(),
            Microsoft.Extensions.Options.Options.Create(new LeadScoringOptions()), first.Time, Microsoft.Extensions.Logging.Abstractions.NullLogger<LeadScorer>.Instance);
        Assert.Equal(2, (await other.RetrainAsync(first.Tenant, 800, 3, "elsewhere", TestContext.Current.CancellationToken)).Version);

        Assert.Equal(1, (await first.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{lead}/score", first.Staff("sam"))).GetProperty("modelVersion").GetInt32());
        first.Time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(2, (await first.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/showroom/leads/{lead}/score", first.Staff("sam"))).GetProperty("modelVersion").GetInt32());
    }
}
