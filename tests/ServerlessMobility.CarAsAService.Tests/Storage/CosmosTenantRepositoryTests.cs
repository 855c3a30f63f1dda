using Microsoft.Extensions.Options;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Storage.Cosmos;
using ServerlessMobility.Testing;

namespace ServerlessMobility.CarAsAService.Tests.Storage;

/// <summary>The Cosmos adapter against the real local Cosmos server.</summary>
public sealed class CosmosTenantRepositoryTests(PlatformEmulators emulators) : IDisposable
{
    private readonly CosmosDatabase _database = new(Options.Create(new CosmosOptions
    {
        Endpoint = emulators.Cosmos.Endpoint,
        Key = CosmosServerProcess.Key,
        DatabaseName = "db-" + Guid.NewGuid().ToString("N")[..12],
        AcceptSelfSignedCertificate = true,
    }), [new CosmosContainerDefinition("orders")]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CosmosTenantRepository<Order> Orders => new(_database, "orders");

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task CreateThenGet_SameTenant_ReturnsDocumentWithETag()
    {
        var order = TestData.Order("t1", "o-1");

        var created = await Orders.CreateAsync("t1", order.Id, order, Ct);
        var read = await Orders.GetAsync("t1", order.Id, Ct);

        Assert.NotNull(read);
        Assert.Equal(created.ETag, read.ETag);
        Assert.Equal(order.Price, read.Value.Price);
        Assert.Equal(order.History, read.Value.History);
    }

    [Fact]
    public async Task Get_OtherTenantOrMissing_ReturnsNull()
    {
        var order = TestData.Order("t1", "o-2");
        await Orders.CreateAsync("t1", order.Id, order, Ct);

        Assert.Null(await Orders.GetAsync("t2", order.Id, Ct));
        Assert.Null(await Orders.GetAsync("t1", "missing", Ct));
    }

    [Fact]
    public async Task Create_Existing_ThrowsConflict()
    {
        var order = TestData.Order("t1", "o-3");
        await Orders.CreateAsync("t1", order.Id, order, Ct);

        await Assert.ThrowsAsync<ConflictException>(() => Orders.CreateAsync("t1", order.Id, order, Ct));
    }

    [Fact]
    public async Task Replace_StaleETag_ThrowsConflictAndKeepsFirstWrite()
    {
        var order = TestData.Order("t1", "o-4");
        var created = await Orders.CreateAsync("t1", order.Id, order, Ct);
        await Orders.ReplaceAsync("t1", order.Id, order.MoveTo(OrderStatus.DepositPaid, TestData.Now), created.ETag, Ct);

        await Assert.ThrowsAsync<ConflictException>(() =>
            Orders.ReplaceAsync("t1", order.Id, order.Cancel("late", TestData.Now), created.ETag, Ct));
        Assert.Equal(OrderStatus.DepositPaid, (await Orders.GetAsync("t1", order.Id, Ct))!.Value.Status);
    }

    [Fact]
    public async Task Query_ByStatus_StaysInTenantAndMatchesStoredEnum()
    {
        var a = TestData.Order("q1", "o-a");
        var b = TestData.Order("q1", "o-b").Cancel("x", TestData.Now);
        var other = TestData.Order("q2", "o-c");
        await Orders.CreateAsync("q1", a.Id, a, Ct);
        await Orders.CreateAsync("q1", b.Id, b, Ct);
        await Orders.CreateAsync("q2", other.Id, other, Ct);

        var awaiting = await Orders.QueryAsync("q1", "status", OrderStatus.AwaitingDeposit, Ct);
        var all = await Orders.QueryAsync("q1", cancellationToken: Ct);

        Assert.Equal(["o-a"], awaiting.Select(o => o.Id));
        Assert.Equal(["o-a", "o-b"], all.Select(o => o.Id).Order());
    }
}
