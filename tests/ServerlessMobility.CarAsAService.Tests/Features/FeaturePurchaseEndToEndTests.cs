using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.Telemetry;
using ServerlessMobility.Testing;
using ServerlessMobility.VehicleSimulation;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Tests.Features;

/// <summary>What a purchase is refused for, before anything is held: maintenance, duplicates, a slot being claimed, bad input.</summary>
public sealed class FeaturePurchaseEndToEndTests(PlatformEmulators emulators)
{
    private const string Tenant = FeatureWorld.Tenant;
    private const string Model = FeatureWorld.Model;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MaintenanceOverdue_GatedFeatureRefusedWithTheReason_NothingHeldOrStored()
    {
        await using var world = await FeatureWorld.StartAsync(emulators);
        await world.AddFeatureAsync("performance", requiresMaintenance: true);
        await world.AddFeatureAsync("heated-seats");
        await world.Get<IRiskEventStore>().SaveAsync([new RiskEvent($"{world.Vin}-maint", world.Vin, Tenant, RiskRules.MaintenanceDue, "warning",
            DateTimeOffset.UtcNow.AddDays(-40), null, null, "Odometer 30012 km passed the 30000 km maintenance interval.")], Ct);

        using var refused = await world.PurchaseAsync("performance", "OneMonth");
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var offers = await world.Owner.GetFromJsonAsync<JsonElement>($"/api/vehicles/{world.Vin}/features", Ct);
        var subscriptions = await world.Owner.GetFromJsonAsync<JsonElement>($"/api/vehicles/{world.Vin}/features/subscriptions", Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Maintenance overdue", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, subscriptions.GetArrayLength());
        Assert.Empty(world.Calls());
        var performance = offers.EnumerateArray().Single(o => o.GetProperty("code").GetString() == "performance");
        Assert.False(performance.GetProperty("available").GetBoolean());
        Assert.True(offers.EnumerateArray().Single(o => o.GetProperty("code").GetString() == "heated-seats").GetProperty("available").GetBoolean());
    }

    [Fact]
    public async Task DuplicatePurchase_WhileActivatingOrActive_409_AndConcurrentPurchasesStartOnlyOne()
    {
        await using var world = await FeatureWorld.StartAsync(emulators, new Dictionary<string, string> { ["CarAsAService:Features:CommandFirstRetry"] = "00:01:00" });
        await world.AddFeatureAsync("extra-range");
        world.Vehicle.Behaviours["activateFeature"] = MethodBehaviour.TimeOut;

        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => world.PurchaseAsync("extra-range", "OneMonth")));
        try
        {
            Assert.Equal(1, racing.Count(r => r.StatusCode == HttpStatusCode.Accepted));
            Assert.Equal(3, racing.Count(r => r.StatusCode == HttpStatusCode.Conflict));
            using var later = await world.PurchaseAsync("extra-range", "TwelveMonths");
            Assert.Equal(HttpStatusCode.Conflict, later.StatusCode);

            var subscriptions = await world.Owner.GetFromJsonAsync<List<FeatureSubscription>>($"/api/vehicles/{world.Vin}/features/subscriptions", FeatureWorld.Json, Ct);
            var only = Assert.Single(subscriptions!);
            var accepted = await racing.Single(r => r.StatusCode == HttpStatusCode.Accepted).Content.ReadFromJsonAsync<JsonElement>(FeatureWorld.Json, Ct);
            Assert.Equal(only.Id, accepted.GetProperty("subscription").GetProperty("id").GetString());
            Assert.Equal($"/api/workflows/{Tenant}:feature:{only.Id}", Uri.UnescapeDataString(new Uri(accepted.GetProperty("statusQueryGetUri").GetString()!).AbsolutePath));

            // The hold is placed before the subscription moves to Activating; the vehicle does not answer, so it stays there.
            await world.WaitForStateAsync("extra-range", FeatureSubscriptionState.Activating);
            Assert.Single(world.Calls(), c => c.Operation == "authorize");
            using var activating = await world.PurchaseAsync("extra-range", "OneMonth");
            Assert.Equal(HttpStatusCode.Conflict, activating.StatusCode);
        }
        finally
        {
            foreach (var response in racing)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task SlotClaimedButItsSubscriptionNotWrittenYet_IsAPurchaseInProgress_UntilTheGraceEnds()
    {
        await using var world = await FeatureWorld.StartAsync(emulators);
        await world.AddFeatureAsync("extra-range");
        var slots = world.Get<ITenantRepository<FeatureSlot>>();

        // Another purchase has just claimed the slot and is about to write its subscription.
        var slotId = FeatureSlot.IdFor(world.Vin, "extra-range");
        var claimed = await slots.CreateAsync(Tenant, slotId, new FeatureSlot(slotId, Tenant, "not-written-yet", DateTimeOffset.UtcNow), Ct);
        using var meanwhile = await world.PurchaseAsync("extra-range", "OneMonth");

        // The same claim, made longer ago than the grace: that purchase crashed before it wrote its subscription.
        await slots.ReplaceAsync(Tenant, slotId, claimed.Value with { ClaimedAt = DateTimeOffset.UtcNow - FeatureSlot.ClaimGrace - TimeSpan.FromSeconds(1) }, claimed.ETag, Ct);
        using var afterTheGrace = await world.PurchaseAsync("extra-range", "OneMonth");

        Assert.Equal(HttpStatusCode.Conflict, meanwhile.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, afterTheGrace.StatusCode);
        var taken = (await slots.GetAsync(Tenant, slotId, Ct))!.Value;
        Assert.NotEqual("not-written-yet", taken.SubscriptionId);
    }

    [Fact]
    public async Task RequestedSubscriptionWhoseWorkflowNeverStarted_IsStartedByTheOwnersRetry()
    {
        await using var world = await FeatureWorld.StartAsync(emulators);
        await world.AddFeatureAsync("extra-range");
        var feature = (await world.Get<ITenantRepository<FeatureDefinition>>().GetAsync(Tenant, FeatureDefinition.IdFor(Model, "extra-range"), Ct))!.Value;

        // A purchase that claimed the slot and wrote its subscription, then died before starting the workflow.
        var stranded = FeatureSubscription.Request("stranded-" + world.Vin, world.OwnerId, world.Vin, feature, FeatureDuration.OneMonth, "ES", DateTimeOffset.UtcNow);
        var slotId = FeatureSlot.IdFor(world.Vin, "extra-range");
        await world.Get<ITenantRepository<FeatureSlot>>().CreateAsync(Tenant, slotId, new FeatureSlot(slotId, Tenant, stranded.Id, stranded.RequestedAt), Ct);
        await world.Get<ITenantRepository<FeatureSubscription>>().CreateAsync(Tenant, stranded.Id, stranded, Ct);
        Assert.Null(await world.Workflows.GetInstanceAsync(stranded.InstanceId, Ct));

        using var retry = await world.PurchaseAsync("extra-range", "OneMonth");

        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        var active = await world.WaitForStateAsync("extra-range", FeatureSubscriptionState.Active);
        Assert.Equal(stranded.Id, active.Id);
        Assert.Single(world.Calls(), c => c.Operation == "authorize");
    }

    [Fact]
    public async Task BadRequests_ProblemDetails_AndOtherCustomersVehicleIsNotFound()
    {
        await using var world = await FeatureWorld.StartAsync(emulators);
        await world.AddFeatureAsync("extra-range", minimumFirmware: "9.0");
        using var stranger = await world.ClientAsync("stranger-" + world.Vin, "customer");

        using var oldFirmware = await world.PurchaseAsync("extra-range", "OneMonth");
        using var noDuration = await world.Owner.PostAsJsonAsync($"/api/vehicles/{world.Vin}/features/extra-range/purchase", new { }, Ct);
        using var unknownFeature = await world.PurchaseAsync("teleport", "OneMonth");
        using var notTheirs = await stranger.PostAsJsonAsync($"/api/vehicles/{world.Vin}/features/extra-range/purchase", new { duration = "OneMonth" }, Ct);
        using var staffCannotBuy = await world.Admin.PostAsJsonAsync($"/api/vehicles/{world.Vin}/features/extra-range/purchase", new { duration = "OneMonth" }, Ct);
        using var nothingToCancel = await world.CancelAsync("extra-range");
        using var badCatalog = await world.Admin.PutAsJsonAsync($"/api/models/{Model}/features/bad", new { name = "", minimumFirmware = "x", prices = Array.Empty<object>(), allowedDurations = Array.Empty<string>() }, Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, oldFirmware.StatusCode);
        Assert.Contains("9.0", await oldFirmware.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, noDuration.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownFeature.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, staffCannotBuy.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, nothingToCancel.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badCatalog.StatusCode);
        var errors = (await badCatalog.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("minimumFirmware", out _));
        Assert.True(errors.TryGetProperty("prices", out _));
        Assert.Empty(world.Calls());
    }
}
