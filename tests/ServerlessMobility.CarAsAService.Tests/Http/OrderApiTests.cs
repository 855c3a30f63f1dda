using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Core.CarAsAService.Orders;
using ServerlessMobility.Core.Security;

namespace ServerlessMobility.CarAsAService.Tests.Http;

public sealed class OrderApiTests(CaasHost host) : IClassFixture<CaasHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewId() => "o-" + Guid.NewGuid().ToString("N")[..12];

    private static object Sale(string orderId, string email = "ana@example.test") => new
    {
        orderId,
        customer = new { name = "Ana García", email },
        modelId = "aurora-s",
        packs = new[] { "winter" },
        country = "ES",
    };

    [Fact]
    public async Task RegisterSale_Staff_Returns201WithStatusUriAndStartsOneInstancePerOrder()
    {
        await host.SeedModelAsync("dealer-a");
        using var staff = await host.ClientAsync("staff-1", "dealer-a", PlatformRoles.DealerStaff);
        var id = NewId();

        using var first = await staff.PostAsJsonAsync("/api/orders", Sale(id), Ct);
        using var again = await staff.PostAsJsonAsync("/api/orders", Sale(id), Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var body = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal($"/runtime/webhooks/durabletask/instances/{id}", body.GetProperty("statusQueryGetUri").GetString());
        Assert.Equal("AwaitingDeposit", body.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(37510m, body.GetProperty("order").GetProperty("price").GetProperty("gross").GetProperty("amount").GetDecimal());
        var starts = host.Workflows.Started.Where(s => s.Options?.InstanceId == id).ToList();
        Assert.Equal(2, starts.Count);
        Assert.All(starts, s => Assert.Equal(OrderToDeliveryWorkflow.Name, s.Name));
        Assert.All(starts, s => Assert.Equal(new OrderRef("dealer-a", id), s.Input));
    }

    [Fact]
    public async Task RegisterSale_CustomerRole_Returns403()
    {
        using var customer = await host.ClientAsync("c-1", "dealer-a", PlatformRoles.Customer);

        using var response = await customer.PostAsJsonAsync("/api/orders", Sale(NewId()), Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task RegisterSale_MissingFields_Returns400WithFieldErrors()
    {
        using var staff = await host.ClientAsync("staff-1", "dealer-a", PlatformRoles.DealerStaff);

        using var response = await staff.PostAsJsonAsync("/api/orders", new { country = "Spain" }, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("modelId", out _));
        Assert.True(errors.TryGetProperty("country", out _));
        Assert.True(errors.TryGetProperty("customer.email", out _));
    }

    [Fact]
    public async Task RegisterSale_UnknownModel_Returns422()
    {
        using var staff = await host.ClientAsync("staff-1", "dealer-empty", PlatformRoles.DealerStaff);

        using var response = await staff.PostAsJsonAsync("/api/orders", Sale(NewId()), Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task GetOrder_OtherTenant_Returns404()
    {
        await host.SeedModelAsync("dealer-a");
        using var staff = await host.ClientAsync("staff-1", "dealer-a", PlatformRoles.DealerStaff);
        using var other = await host.ClientAsync("staff-2", "dealer-b", PlatformRoles.DealerStaff);
        var id = NewId();
        (await staff.PostAsJsonAsync("/api/orders", Sale(id), Ct)).EnsureSuccessStatusCode();

        using var mine = await staff.GetAsync($"/api/orders/{id}", Ct);
        using var theirs = await other.GetAsync($"/api/orders/{id}", Ct);

        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.NotNull(mine.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
    }

    [Fact]
    public async Task CustomerOwnOrdersOnly_OthersAnswer404AndListsHoldOnlyTheirs()
    {
        await host.SeedModelAsync("dealer-own");
        using var staff = await host.ClientAsync("staff-1", "dealer-own", PlatformRoles.DealerStaff);
        var ana = NewId();
        var ben = NewId();
        using var anaResponse = await staff.PostAsJsonAsync("/api/orders", Sale(ana, "ana.own@example.test"), Ct);
        using var benResponse = await staff.PostAsJsonAsync("/api/orders", Sale(ben, "ben.own@example.test"), Ct);
        var anaCustomer = (await anaResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("order").GetProperty("customerId").GetString()!;
        var benCustomer = (await benResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("order").GetProperty("customerId").GetString()!;
        using var anaClient = await host.ClientAsync(anaCustomer, "dealer-own", PlatformRoles.Customer);
        using var anaInOtherTenant = await host.ClientAsync(anaCustomer, "dealer-elsewhere", PlatformRoles.Customer);

        using var own = await anaClient.GetAsync($"/api/orders/{ana}", Ct);
        using var others = await anaClient.GetAsync($"/api/orders/{ben}", Ct);
        using var list = await anaClient.GetAsync("/api/orders", Ct);
        using var ownRecord = await anaClient.GetAsync($"/api/customers/{anaCustomer}/purchase-record", Ct);
        using var othersRecord = await anaClient.GetAsync($"/api/customers/{benCustomer}/purchase-record", Ct);
        using var sameSubjectOtherTenant = await anaInOtherTenant.GetAsync($"/api/orders/{ana}", Ct);
        using var reschedule = await anaClient.PutAsJsonAsync($"/api/orders/{ana}/delivery-appointment", new { appointment = host.Time.GetUtcNow().AddDays(3) }, Ct);

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, others.StatusCode);
        Assert.Equal([ana], (await list.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.OK, ownRecord.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, othersRecord.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, sameSubjectOtherTenant.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reschedule.StatusCode);
    }

    [Fact]
    public async Task ListOrders_StatusFilter_ReturnsTenantOrdersInThatStatus()
    {
        await host.SeedModelAsync("dealer-list");
        using var staff = await host.ClientAsync("staff-1", "dealer-list", PlatformRoles.DealerStaff);
        var id = NewId();
        (await staff.PostAsJsonAsync("/api/orders", Sale(id), Ct)).EnsureSuccessStatusCode();

        var awaiting = await staff.GetFromJsonAsync<JsonElement>("/api/orders?status=AwaitingDeposit&page=1", Ct);
        var completed = await staff.GetFromJsonAsync<JsonElement>("/api/orders?status=Completed", Ct);
        using var bad = await staff.GetAsync("/api/orders?status=Nope", Ct);

        Assert.Contains(awaiting.GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetString() == id);
        Assert.Equal(0, completed.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task RescheduleDelivery_TwoWritersSameETag_SecondGets409()
    {
        await host.SeedModelAsync("dealer-a");
        using var staff = await host.ClientAsync("staff-1", "dealer-a", PlatformRoles.DealerStaff);
        var id = NewId();
        (await staff.PostAsJsonAsync("/api/orders", Sale(id), Ct)).EnsureSuccessStatusCode();
        using var read = await staff.GetAsync($"/api/orders/{id}", Ct);
        var eTag = read.Headers.ETag!.Tag;

        async Task<HttpResponseMessage> RescheduleAsync(int days)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/orders/{id}/delivery-appointment")
            {
                Content = JsonContent.Create(new { appointment = host.Time.GetUtcNow().AddDays(days) }),
            };
            request.Headers.TryAddWithoutValidation("If-Match", eTag);
            return await staff.SendAsync(request, Ct);
        }

        var results = await Task.WhenAll(RescheduleAsync(5), RescheduleAsync(6));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], results.Select(r => r.StatusCode).Order());
        var problem = await results.Single(r => r.StatusCode == HttpStatusCode.Conflict).Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        foreach (var r in results)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task PurchaseRecord_SelfStaffAndOtherCustomer_200_200_404()
    {
        await host.SeedModelAsync("dealer-a");
        using var staff = await host.ClientAsync("staff-1", "dealer-a", PlatformRoles.DealerStaff);
        var id = NewId();
        using var created = await staff.PostAsJsonAsync("/api/orders", Sale(id, $"{id}@example.test"), Ct);
        var customerId = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("order").GetProperty("customerId").GetString()!;
        using var self = await host.ClientAsync(customerId, "dealer-a", PlatformRoles.Customer);
        using var stranger = await host.ClientAsync("someone-else", "dealer-a", PlatformRoles.Customer);

        var own = await self.GetFromJsonAsync<JsonElement>($"/api/customers/{customerId}/purchase-record", Ct);
        using var byStaff = await staff.GetAsync($"/api/customers/{customerId}/purchase-record", Ct);
        using var byStranger = await stranger.GetAsync($"/api/customers/{customerId}/purchase-record", Ct);

        Assert.Equal(id, own.GetProperty("orders")[0].GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, byStaff.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byStranger.StatusCode);
    }
}
