using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.CarAsAService.Payments;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Testing;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Tests.Http;

/// <summary>The order routes on the local host with the real durable engine: what they start, return and hide.</summary>
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
    public async Task RegisterSale_Staff_Returns201WithTheTenantsStatusUriAndStartsOneInstance()
    {
        await host.SeedModelAsync("dealer-a");
        using var staff = await host.ClientAsync("staff-1", "dealer-a", PlatformRoles.DealerStaff);
        var id = NewId();

        using var first = await staff.PostAsJsonAsync("/api/orders", Sale(id), Ct);
        var started = await host.Workflows.WaitForInstanceAsync($"dealer-a:order:{id}", i => i.RuntimeStatus == OrchestrationRuntimeStatus.Running, "running");
        using var again = await staff.PostAsJsonAsync("/api/orders", Sale(id), Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var body = await first.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var statusUri = new Uri(body.GetProperty("statusQueryGetUri").GetString()!);
        Assert.True(statusUri.IsAbsoluteUri);
        Assert.Equal($"/api/workflows/dealer-a:order:{id}", Uri.UnescapeDataString(statusUri.AbsolutePath));
        Assert.Equal(body.GetProperty("statusQueryGetUri").GetString(), (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("statusQueryGetUri").GetString());
        Assert.Equal("AwaitingDeposit", body.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(37510m, body.GetProperty("order").GetProperty("price").GetProperty("gross").GetProperty("amount").GetDecimal());
        Assert.Equal(OrderToDeliveryWorkflow.Name, started!.Name);
        Assert.Equal(new OrderRef("dealer-a", id), started.ReadInputAs<OrderRef>());
        var now = await host.Workflows.GetInstanceAsync(started.InstanceId, Ct);
        Assert.Equal(started.CreatedAt, now!.CreatedAt);
    }

    [Fact]
    public async Task RegisterSale_RepeatedAfterItsWorkflowFinished_ReturnsTheOrderAndDoesNotRestartTheWorkflow()
    {
        await host.SeedModelAsync("dealer-a");
        using var staff = await host.ClientAsync("staff-1", "dealer-a", PlatformRoles.DealerStaff);
        var id = NewId();
        (await staff.PostAsJsonAsync("/api/orders", Sale(id), Ct)).EnsureSuccessStatusCode();
        var instanceId = OrderToDeliveryWorkflow.InstanceIdFor("dealer-a", id);
        await host.Workflows.WaitForInstanceAsync(instanceId, i => i.RuntimeStatus == OrchestrationRuntimeStatus.Running, "running");

        // The deposit is declined: the workflow cancels the order and finishes.
        using (var declined = await host.PostWebhookAsync("/api/webhooks/payments", CaasHost.PaymentsSecret,
            $$"""{"eventId":"evt-{{id}}","type":"payment.failed","paymentId":"pi-{{id}}","tenantId":"dealer-a","orderId":"{{id}}","purpose":"deposit","failureReason":"card_declined"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        }

        var finished = await host.Workflows.WaitForFinishAsync(instanceId);
        using var repeated = await staff.PostAsJsonAsync("/api/orders", Sale(id), Ct);
        var afterwards = await host.Workflows.GetInstanceAsync(instanceId, Ct);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);
        Assert.Equal(HttpStatusCode.Created, repeated.StatusCode);
        var order = (await repeated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("order");
        Assert.Equal(("Cancelled", OrderToDeliveryWorkflow.Reasons.DepositFailed), (order.GetProperty("status").GetString(), order.GetProperty("cancellationReason").GetString()));
        Assert.Equal((finished.CreatedAt, finished.LastUpdatedAt, OrchestrationRuntimeStatus.Completed),
            (afterwards!.CreatedAt, afterwards.LastUpdatedAt, afterwards.RuntimeStatus));
        var stored = (await host.Get<ITenantRepository<Order>>().GetAsync("dealer-a", id, Ct))!.Value;
        Assert.Equal(OrderStatus.Cancelled, stored.Status);
    }

    [Fact]
    public async Task RegisterSale_OrderIdOfAnotherTenant_SeparateInstanceAndPaymentsAndTheirsUntouched()
    {
        await host.SeedModelAsync("dealer-a");
        await host.SeedModelAsync("dealer-b");
        using var staffA = await host.ClientAsync("staff-1", "dealer-a", PlatformRoles.DealerStaff);
        using var staffB = await host.ClientAsync("staff-2", "dealer-b", PlatformRoles.DealerStaff);
        var id = NewId();
        (await staffA.PostAsJsonAsync("/api/orders", Sale(id, "ana.a@example.test"), Ct)).EnsureSuccessStatusCode();
        var theirs = await host.Workflows.WaitForInstanceAsync(OrderToDeliveryWorkflow.InstanceIdFor("dealer-a", id), i => i.RuntimeStatus == OrchestrationRuntimeStatus.Running, "running");
        var payments = host.Get<ITenantRepository<Payment>>();
        var depositId = PaymentIds.For(id, PaymentPurpose.Deposit);
        var theirDeposit = await Eventually.UntilAsync(() => payments.GetAsync("dealer-a", depositId, Ct), p => p is not null, "dealer-a's deposit intent");

        using var ours = await staffB.PostAsJsonAsync("/api/orders", Sale(id, "ben.b@example.test"), Ct);
        var ourInstance = await host.Workflows.WaitForInstanceAsync(OrderToDeliveryWorkflow.InstanceIdFor("dealer-b", id), i => i.RuntimeStatus == OrchestrationRuntimeStatus.Running, "running");
        var ourDeposit = await Eventually.UntilAsync(() => payments.GetAsync("dealer-b", depositId, Ct), p => p is not null, "dealer-b's deposit intent");

        // dealer-b pays; only its own order moves on.
        using (var paid = await host.PostWebhookAsync("/api/webhooks/payments", CaasHost.PaymentsSecret,
            $$"""{"eventId":"evt-b-{{id}}","type":"payment.succeeded","paymentId":"{{ourDeposit!.Value.ProviderPaymentId}}","tenantId":"dealer-b","orderId":"{{id}}","purpose":"deposit"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        }

        var orders = host.Get<ITenantRepository<Order>>();
        await Eventually.UntilAsync(async () => (await orders.GetAsync("dealer-b", id, Ct))!.Value.Status, s => s >= OrderStatus.DepositPaid, "dealer-b's order paid");
        Assert.Equal(HttpStatusCode.Created, ours.StatusCode);
        Assert.NotEqual(theirs!.InstanceId, ourInstance!.InstanceId);
        Assert.Equal(new OrderRef("dealer-b", id), ourInstance.ReadInputAs<OrderRef>());
        Assert.NotEqual(theirDeposit!.Value.ProviderPaymentId, ourDeposit.Value.ProviderPaymentId);
        var theirsNow = await host.Workflows.GetInstanceAsync(theirs.InstanceId, getInputsAndOutputs: true, Ct);
        Assert.Equal((OrchestrationRuntimeStatus.Running, theirs.CreatedAt), (theirsNow!.RuntimeStatus, theirsNow.CreatedAt));
        Assert.Equal(new OrderRef("dealer-a", id), theirsNow.ReadInputAs<OrderRef>());
        var theirOrder = (await orders.GetAsync("dealer-a", id, Ct))!.Value;
        Assert.Equal((OrderStatus.AwaitingDeposit, "ana.a@example.test"), (theirOrder.Status, (await host.Get<ITenantRepository<ServerlessMobility.CarAsAService.Customers.Customer>>().GetAsync("dealer-a", theirOrder.CustomerId, Ct))!.Value.Email));
        Assert.Equal(PaymentStatus.Pending, (await payments.GetAsync("dealer-a", depositId, Ct))!.Value.Status);
    }

    [Fact]
    public async Task StatusQueryGetUri_StaffOfTheTenantSeeTheInstance_OtherTenantsAndCustomersDoNot()
    {
        await host.SeedModelAsync("dealer-a");
        using var staff = await host.ClientAsync("staff-1", "dealer-a", PlatformRoles.DealerStaff);
        using var admin = await host.ClientAsync("admin-1", "dealer-a", PlatformRoles.DealerAdmin);
        using var otherTenant = await host.ClientAsync("staff-2", "dealer-b", PlatformRoles.DealerStaff);
        using var customer = await host.ClientAsync("c-1", "dealer-a", PlatformRoles.Customer);
        var id = NewId();
        using var created = await staff.PostAsJsonAsync("/api/orders", Sale(id), Ct);
        var statusUri = new Uri((await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("statusQueryGetUri").GetString()!);
        await host.Workflows.WaitForInstanceAsync(OrderToDeliveryWorkflow.InstanceIdFor("dealer-a", id), i => i.RuntimeStatus == OrchestrationRuntimeStatus.Running, "running");

        using var byStaff = await staff.GetAsync(statusUri, Ct);
        using var byAdmin = await admin.GetAsync(statusUri, Ct);
        using var byOtherTenant = await otherTenant.GetAsync(statusUri, Ct);
        using var byCustomer = await customer.GetAsync(statusUri, Ct);

        Assert.Equal(HttpStatusCode.Accepted, byStaff.StatusCode); // still running: poll again at Location
        Assert.Equal(statusUri, byStaff.Headers.Location);
        var status = await byStaff.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(($"dealer-a:order:{id}", OrderToDeliveryWorkflow.Name, "Running"),
            (status.GetProperty("instanceId").GetString(), status.GetProperty("name").GetString(), status.GetProperty("runtimeStatus").GetString()));
        Assert.Equal("AwaitingDeposit", status.GetProperty("customStatus").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Accepted, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOtherTenant.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byCustomer.StatusCode);
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
        using var reschedule = await anaClient.PutAsJsonAsync($"/api/orders/{ana}/delivery-appointment", new { appointment = DateTimeOffset.UtcNow.AddDays(3) }, Ct);

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

    /// <summary>Issue 16 item 11: page 2147483647 used to overflow the offset and answer the first page.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(107374183)]
    [InlineData(int.MaxValue)]
    public async Task ListOrders_PageBeyondTheLast_IsEmptyEvenWhereTheOffsetWouldOverflow(int page)
    {
        await host.SeedModelAsync("dealer-pages");
        using var staff = await host.ClientAsync("staff-1", "dealer-pages", PlatformRoles.DealerStaff);
        (await staff.PostAsJsonAsync("/api/orders", Sale(NewId()), Ct)).EnsureSuccessStatusCode();

        var first = await staff.GetFromJsonAsync<JsonElement>("/api/orders?page=1", Ct);
        var beyond = await staff.GetFromJsonAsync<JsonElement>($"/api/orders?page={page}", Ct);
        using var zero = await staff.GetAsync("/api/orders?page=0", Ct);
        using var tooBig = await staff.GetAsync("/api/orders?page=2147483648", Ct);

        Assert.NotEmpty(first.GetProperty("items").EnumerateArray());
        Assert.True(first.GetProperty("total").GetInt32() <= OrderEndpoints.PageSize);
        Assert.Empty(beyond.GetProperty("items").EnumerateArray());
        Assert.Equal(page, beyond.GetProperty("page").GetInt32());
        Assert.Equal(first.GetProperty("total").GetInt32(), beyond.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooBig.StatusCode);
    }

    [Fact]
    public async Task RescheduleDelivery_TwoWritersSameETag_SecondGets409()
    {
        await host.SeedModelAsync("dealer-a");
        using var staff = await host.ClientAsync("staff-1", "dealer-a", PlatformRoles.DealerStaff);
        var id = NewId();
        (await staff.PostAsJsonAsync("/api/orders", Sale(id), Ct)).EnsureSuccessStatusCode();

        async Task<HttpResponseMessage> RescheduleAsync(string eTag, int days)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/orders/{id}/delivery-appointment")
            {
                Content = JsonContent.Create(new { appointment = DateTimeOffset.UtcNow.AddDays(days) }),
            };
            request.Headers.TryAddWithoutValidation("If-Match", eTag);
            return await staff.SendAsync(request, Ct);
        }

        // The order's workflow writes to the order too: its last write before it waits for the deposit records the
        // deposit intent. Once that is stored the order is still until the deposit arrives, so the two writers race
        // only each other (and the write invalidated the read cache, so the read below has the current ETag).
        var orders = host.Get<ITenantRepository<Order>>();
        await Eventually.UntilAsync(async () => (await orders.GetAsync("dealer-a", id, Ct))?.Value.DepositPaymentId, deposit => deposit is not null,
            $"order {id}'s workflow to record the deposit intent");
        using var read = await staff.GetAsync($"/api/orders/{id}", Ct);
        var eTag = read.Headers.ETag!.Tag;
        var results = await Task.WhenAll(RescheduleAsync(eTag, 5), RescheduleAsync(eTag, 6));

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
