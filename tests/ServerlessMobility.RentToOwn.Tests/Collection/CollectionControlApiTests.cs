using System.Net;
using ServerlessMobility.RentToOwn.Collection;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>
/// The mobile-money simulator scripted through the Development-only control API (<c>/api/dev/simulators</c>), as a
/// person or a walkthrough does, instead of in-process test code: the next charge of the plan is declined with the
/// scripted code, the retry is approved, and the simulator's activity shows both.
/// </summary>
public class CollectionControlApiTests(CollectionHost host) : IClassFixture<CollectionHost>
{
    [Fact]
    public async Task ControlApi_ScriptsADecline_NextChargeDeclinedWithTheCode_RetryApproved()
    {
        var plan = await host.OpenPlanAsync("scripted", instalments: 1);
        var operatorToken = await host.Host.TokenAsync("op-scripted", plan.TenantId, "operator");

        await host.ExpectAsync(HttpStatusCode.OK, await host.Host.SendAsync(HttpMethod.Put, $"/api/dev/simulators/mobile-money/scripts/{plan.Id}", operatorToken,
            new { outcomes = new[] { new { outcome = "decline", code = "wallet-empty" } } }));
        await plan.WaitForCompletionAsync();

        var charges = plan.Charges;
        Assert.Equal([false, true], charges.Select(c => c.Result.Succeeded));
        Assert.Equal("wallet-empty", charges[0].Result.FailureCode);
        Assert.Single(plan.NotificationsOf(NotificationKind.PaymentFailed));
        var response = await host.Host.SendAsync(HttpMethod.Get, "/api/dev/simulators/mobile-money/activity", operatorToken);
        await host.ExpectAsync(HttpStatusCode.OK, response);
        var activity = (await Http.RentToOwnHost.ReadAsync(response)).GetProperty("items").EnumerateArray()
            .Select(a => $"{a.GetProperty("subject").GetString()}:{a.GetProperty("outcome").GetString()}").ToList();
        Assert.Equal([$"{plan.Id}:decline", $"{plan.Id}:approve"], activity);

        // Another tenant's operator sees none of it.
        var stranger = await host.Host.TokenAsync("op-stranger", plan.TenantId + "-other", "operator");
        var theirs = await host.Host.SendAsync(HttpMethod.Get, "/api/dev/simulators/mobile-money/activity", stranger);
        Assert.Empty((await Http.RentToOwnHost.ReadAsync(theirs)).GetProperty("items").EnumerateArray());
    }
}
