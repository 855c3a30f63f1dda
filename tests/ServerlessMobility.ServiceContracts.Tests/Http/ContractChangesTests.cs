using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.ServiceContracts.Records;
using ServerlessMobility.ServiceContracts.Sales;
using ServerlessMobility.Testing;

namespace ServerlessMobility.ServiceContracts.Tests.Http;

/// <summary>
/// A request's change to a contract that the lifecycle workflow wrote in between is decided again on the stored contract
/// (on the real Cosmos server, whose ETags make the second writer lose), instead of failing the request with a 409.
/// </summary>
public class ContractChangesTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ApplyAsync_ContractWrittenInBetween_DecidedAgainAndBothWritesKept()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        var tenant = $"chg-{Guid.NewGuid():N}"[..16];
        var (id, _) = await ServiceContractPaymentTests.SellMonthlyAsync(host, tenant, "cust-chg", "DE", "EUR", 480m);

        // The contract's own workflow collects the first instalment right after the sale; with the fake clock standing
        // still it writes nothing more, so the only write in between below is the test's.
        await host.WaitForContractAsync(id, host.Token("cust-chg", tenant, "customer"), view => ServiceContractsHost.IsPaid(view, 1), "the first instalment paid");
        var contracts = host.Factory.Services.GetRequiredService<ITenantRepository<ServiceContract>>();
        var records = host.Factory.Services.GetRequiredService<ContractRecords>();
        var staff = CurrentUser.FromPrincipal(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", "staff-chg"), new Claim("tenant_id", tenant), new Claim(ClaimTypes.Role, PlatformRoles.DealerStaff)], "test", "sub", ClaimTypes.Role)));
        var now = host.Time.GetUtcNow();

        var decisions = 0;
        var changed = await records.ApplyAsync(contracts, staff, id, contract =>
        {
            decisions++;
            if (decisions == 1)
            {
                // The workflow writes the same contract while the request decides (a reminder sent).
                var stored = contracts.GetAsync(tenant, id, Ct).GetAwaiter().GetResult()!;
                contracts.ReplaceAsync(tenant, id, stored.Value with { RenewalRemindersSent = [now] }, stored.ETag, Ct).GetAwaiter().GetResult();
            }

            return (contract with { RenewalConsent = new Renewal.RenewalConsent(true, now, "127.0.0.1") }, "renewal-consent-given");
        }, now, Ct);

        Assert.Equal(2, decisions);
        var final = (await contracts.GetAsync(tenant, id, Ct))!.Value;
        Assert.Equal([now], final.RenewalRemindersSent);
        Assert.True(final.RenewalConsent?.Given);
        Assert.Equal(changed.Receipts[^1], final.Receipts[^1]);
        Assert.True((await records.VerifyAsync(final, Ct)).IsValid);
    }

    [Fact]
    public async Task ApplyAsync_ChangeNoLongerApplies_ItsOwnProblemNotARetryLoop()
    {
        await using var host = ServiceContractsHost.Start(emulators);
        var tenant = $"chg-{Guid.NewGuid():N}"[..16];
        var (id, _) = await ServiceContractPaymentTests.SellMonthlyAsync(host, tenant, "cust-chg", "DE", "EUR", 480m);
        var records = host.Factory.Services.GetRequiredService<ContractRecords>();
        var staff = CurrentUser.FromPrincipal(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim("sub", "staff-chg"), new Claim("tenant_id", tenant), new Claim(ClaimTypes.Role, PlatformRoles.DealerStaff)], "test", "sub", ClaimTypes.Role)));

        await Assert.ThrowsAsync<ConflictException>(() => records.ApplyAsync(host.Factory.Services.GetRequiredService<ITenantRepository<ServiceContract>>(), staff, id,
            _ => throw new ConflictException("Already cancelled."), host.Time.GetUtcNow(), Ct));
    }
}
