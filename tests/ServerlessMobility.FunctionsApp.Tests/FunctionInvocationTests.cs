using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Moq;
using ServerlessMobility.CarAsAService;
using ServerlessMobility.CarAsAService.Catalog;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.CarAsAService.Payments;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.FunctionsApp.CarAsAService;
using ServerlessMobility.FunctionsApp.Http;
using ServerlessMobility.FunctionsApp.Workflows;
using ServerlessMobility.Hosting.Authentication;
using ServerlessMobility.Testing;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.FunctionsApp.Tests;

/// <summary>
/// The app's functions called as the worker calls them, in the style of Microsoft Learn's guide to unit-testing
/// isolated Durable Functions: HTTP functions run against an HttpContext, Durable's client and the orchestration
/// context are mocks, the function context carries the invocation's services. Storage and Cosmos are the real
/// emulators of the test assembly.
/// </summary>
public sealed class FunctionInvocationTests : IAsyncLifetime
{
    private const string Tenant = "tenant-fn";
    private readonly PlatformEmulators _emulators;
    private readonly IHost _host;

    public FunctionInvocationTests(PlatformEmulators emulators)
    {
        _emulators = emulators;
        var settings = emulators.Settings();
        settings["Auth:DevSigningKey"] = LocalHostFactory.DevSigningKey;
        _host = FunctionsHost.Build(settings, Environments.Development);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The host is never started: starting the worker means connecting to a Functions host, which cannot run here.</summary>
    public async ValueTask InitializeAsync()
    {
        using var scope = _host.Scope();
        await scope.ServiceProvider.GetRequiredService<ITenantRepository<VehicleModel>>().CreateAsync(Tenant, "aurora-s", new VehicleModel(
            "aurora-s", Tenant, "Aurora S", [new CountryPrice("ES", 30000m, 0.21m, "EUR")], []), Ct);
    }

    public ValueTask DisposeAsync()
    {
        _host.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The starter: the order is stored and its workflow scheduled once, under the id the server makes from tenant and order.</summary>
    [Fact]
    public async Task RegisterSale_StaffToken_Returns201AndSchedulesTheOrdersWorkflowUnderItsTenantScopedId()
    {
        var durable = new Mock<DurableTaskClient>("test");
        durable.Setup(c => c.GetInstancesAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        durable.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => options!.InstanceId!);
        await using var scope = _host.Services.CreateAsyncScope();
        var http = Request(scope, HttpMethod.Post, "/api/orders", Token("staff-1", "dealer-staff"),
            new { orderId = "o-fn-1", customer = new { name = "Ana García", email = "ana@example.test" }, modelId = "aurora-s", country = "ES" });

        await new ApiFunctions(scope.ServiceProvider.GetRequiredService<CoreEndpointInvoker>()).RegisterSale(http.Request, durable.Object);

        Assert.True(http.Response.StatusCode == StatusCodes.Status201Created, await Body(http));
        durable.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(new TaskName(OrderToDeliveryWorkflow.Name), It.Is<object?>(i => i is OrderRef && ((OrderRef)i).OrderId == "o-fn-1"),
            It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == $"{Tenant}:order:o-fn-1"), It.IsAny<CancellationToken>()), Times.Once);
        Assert.Contains($"/api/workflows/{Uri.EscapeDataString($"{Tenant}:order:o-fn-1")}", await Body(http), StringComparison.Ordinal);
    }

    /// <summary>
    /// Every HTTP function, called at its own trigger route without a token, reaches a core endpoint: a function whose
    /// route key disagrees with its trigger's route finds none (404 or a missing key) instead of 401 / 4xx.
    /// </summary>
    [Fact]
    public async Task HttpFunctions_CalledAtTheirTriggerRoute_ReachTheirCoreEndpoint()
    {
        var reachedNothing = new List<string>();
        foreach (var function in PublishedApp.Instance.Value.WithTrigger("httpTrigger"))
        {
            await using var scope = _host.Services.CreateAsyncScope();
            var method = function.Trigger.Raw["methods"]!.AsArray().Single()!.ToString();
            var route = "/api/" + System.Text.RegularExpressions.Regex.Replace(function.Trigger.Property("route")!, "{[^}?]+\\??}", "x1");
            var http = Request(scope, new HttpMethod(method.ToUpperInvariant()), route, token: null, body: method is "post" or "put" ? new { } : null);
            var entry = function.EntryPoint;
            var type = typeof(FunctionsAppComposition).Assembly.GetType(entry[..entry.LastIndexOf('.')])!;
            var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, type);
            try
            {
                await (Task)type.GetMethod(entry[(entry.LastIndexOf('.') + 1)..])!.Invoke(instance, [http.Request, new Mock<DurableTaskClient>("test").Object])!;
                if (http.Response.StatusCode == StatusCodes.Status404NotFound && await Body(http) == string.Empty)
                {
                    reachedNothing.Add($"{function.Name}: 404 without problem details at {method} {route}");
                }
            }
            catch (KeyNotFoundException ex)
            {
                reachedNothing.Add($"{function.Name}: {ex.Message}");
            }
        }

        Assert.Empty(reachedNothing);
    }

    /// <summary>
    /// In Azure the console reads workflows through /api/workflows. A Functions host whose Durable extension cannot
    /// stream histories answers the bound client's call with Unimplemented: the instance is still shown, without its
    /// history and saying why, never a 500.
    /// </summary>
    [Fact]
    public async Task WorkflowsGetStatus_HostCannotStreamHistory_Returns200WithoutHistorySayingWhy()
    {
        var instanceId = $"{Tenant}:order:o-fn-history";
        var durable = new Mock<DurableTaskClient>("test");
        durable.Setup(c => c.GetInstancesAsync(instanceId, It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync(new OrchestrationMetadata(OrderToDeliveryWorkflow.Name, instanceId)
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Completed,
            CreatedAt = DateTimeOffset.UnixEpoch,
            LastUpdatedAt = DateTimeOffset.UnixEpoch,
            SerializedOutput = "\"delivered\"",
        });
        durable.Setup(c => c.GetOrchestrationHistoryAsync(instanceId, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unimplemented, "Method is unimplemented.")));
        await using var scope = _host.Services.CreateAsyncScope();
        var http = Request(scope, HttpMethod.Get, $"/api/workflows/instances/{instanceId}", Token("staff-1", "dealer-staff"));
        http.Request.QueryString = new QueryString("?showHistory=true");

        await new WorkflowManagementFunctions(scope.ServiceProvider.GetRequiredService<CoreEndpointInvoker>()).GetStatus(http.Request, durable.Object);

        var body = await Body(http);
        Assert.True(http.Response.StatusCode == StatusCodes.Status200OK, body);
        using var status = JsonDocument.Parse(body);
        Assert.Equal("Completed", status.RootElement.GetProperty("runtimeStatus").GetString());
        Assert.Equal("delivered", status.RootElement.GetProperty("output").GetString());
        Assert.Equal(JsonValueKind.Null, status.RootElement.GetProperty("historyEvents").ValueKind);
        Assert.Contains("histor", status.RootElement.GetProperty("historyUnavailable").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The URIs an operator's start hands out lead back through /api/workflows on the Functions app, never to the system-key API.</summary>
    [Fact]
    public async Task WorkflowsStartOrchestration_Operator_Returns202WithUrisUnderApiWorkflows()
    {
        var instanceId = $"{Tenant}:manual-fn-1";
        var durable = new Mock<DurableTaskClient>("test");
        durable.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? options, CancellationToken _) => options!.InstanceId!);
        await using var scope = _host.Services.CreateAsyncScope();
        var http = Request(scope, HttpMethod.Post, $"/api/workflows/orchestrators/{OrderToDeliveryWorkflow.Name}/{instanceId}", Token("ops-1", "operator"));

        await new WorkflowManagementFunctions(scope.ServiceProvider.GetRequiredService<CoreEndpointInvoker>()).StartOrchestration(http.Request, durable.Object);

        var body = await Body(http);
        Assert.True(http.Response.StatusCode == StatusCodes.Status202Accepted, body);
        using var payload = JsonDocument.Parse(body);
        var statusUri = $"https://sm-func-prod.azurewebsites.net/api/workflows/instances/{Uri.EscapeDataString(instanceId)}";
        Assert.Equal(statusUri, payload.RootElement.GetProperty("statusQueryGetUri").GetString());
        Assert.StartsWith(statusUri + "/terminate", payload.RootElement.GetProperty("terminatePostUri").GetString(), StringComparison.Ordinal);
        Assert.Equal(statusUri, http.Response.Headers.Location.ToString());
    }

    /// <summary>Tenant staff listing through the Functions app are held to their own tenant's instances, as on the local host.</summary>
    [Fact]
    public async Task WorkflowsListInstances_Staff_QueriesOnlyTheirTenantsInstances()
    {
        OrchestrationQuery? asked = null;
        var durable = new Mock<DurableTaskClient>("test");
        durable.Setup(c => c.GetAllInstancesAsync(It.IsAny<OrchestrationQuery?>()))
            .Callback((OrchestrationQuery? query) => asked = query)
            .Returns(Pageable.Create((string? _, int? _, CancellationToken _) => Task.FromResult(new Page<OrchestrationMetadata>([]))));
        await using var scope = _host.Services.CreateAsyncScope();
        var http = Request(scope, HttpMethod.Get, "/api/workflows/instances", Token("staff-1", "dealer-staff"));
        http.Request.QueryString = new QueryString("?instanceIdPrefix=order:");

        await new WorkflowManagementFunctions(scope.ServiceProvider.GetRequiredService<CoreEndpointInvoker>()).ListInstances(http.Request, durable.Object);

        Assert.True(http.Response.StatusCode == StatusCodes.Status200OK, await Body(http));
        Assert.Equal($"{Tenant}:order:", asked?.InstanceIdPrefix);
    }

    /// <summary>An activity that starts a workflow gets the invocation's bound client through the function context's services.</summary>
    [Fact]
    public async Task StartBillingActivity_NoBillingYet_StartsTheCustomersBillingWithTheBoundClient()
    {
        var durable = new Mock<DurableTaskClient>("test");
        durable.Setup(c => c.GetInstancesAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync((OrchestrationMetadata?)null);
        await using var scope = _host.Services.CreateAsyncScope();
        var function = FunctionContextFor(scope, instanceId: $"{Tenant}:feature:s-1");
        var periodStart = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        await FeatureWorkflowFunctions.StartFeatureBilling(new FeatureBillingStart(Tenant, "c-1", periodStart), function, durable.Object);

        durable.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(new TaskName(FeatureBillingWorkflow.Name),
            It.Is<object?>(i => i is FeatureBillingInput && ((FeatureBillingInput)i).PeriodStart == periodStart),
            It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == FeatureBillingWorkflow.InstanceIdFor(Tenant, "c-1")), It.IsAny<CancellationToken>()), Times.Once);
    }

    /// <summary>The orchestrator function hands the extension's own context and the instance's input to the core orchestrator.</summary>
    [Fact]
    public async Task OrderToDeliveryFunction_DepositNeverArrives_CancelsTheOrder()
    {
        var context = new Mock<TaskOrchestrationContext>();
        var order = new OrderRef(Tenant, "o-fn-2");
        context.Setup(c => c.GetInput<OrderRef>()).Returns(order);
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc));
        context.Setup(c => c.CallActivityAsync<PaymentIntent>(new TaskName(CaasActivities.CreatePaymentIntent), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ReturnsAsync(new PaymentIntent("pi_1"));
        context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        // The deposit never comes: the wait ends only when the SDK's timeout timer cancels it.
        context.Setup(c => c.WaitForExternalEvent<PaymentOutcome>(OrderToDeliveryWorkflow.DepositPaymentEvent, It.IsAny<CancellationToken>()))
            .Returns((string _, CancellationToken cancelled) =>
            {
                var never = new TaskCompletionSource<PaymentOutcome>();
                cancelled.Register(() => never.TrySetCanceled(cancelled));
                return never.Task;
            });
        context.Setup(c => c.CallActivityAsync<ServerlessMobility.Platform.Workflows.Unit>(new TaskName(CaasActivities.CancelOrder), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .ReturnsAsync(ServerlessMobility.Platform.Workflows.Unit.Value);
        await using var scope = _host.Services.CreateAsyncScope();

        var result = await OrderWorkflowFunctions.OrderToDelivery(context.Object, FunctionContextFor(scope, $"{Tenant}:order:o-fn-2"));

        Assert.Equal(new OrderToDeliveryResult(OrderStatus.Cancelled, OrderToDeliveryWorkflow.Reasons.DepositTimeout), result);
        context.Verify(c => c.CallActivityAsync<ServerlessMobility.Platform.Workflows.Unit>(new TaskName(CaasActivities.CancelOrder),
            It.Is<object?>(i => i is CancelOrderInput && ((CancelOrderInput)i).Reason == OrderToDeliveryWorkflow.Reasons.DepositTimeout), It.IsAny<TaskOptions?>()), Times.Once);
    }

    private static FunctionContext FunctionContextFor(AsyncServiceScope scope, string instanceId)
    {
        var binding = new Mock<BindingContext>();
        binding.SetupGet(b => b.BindingData).Returns(new Dictionary<string, object?> { ["instanceId"] = instanceId });
        var function = new Mock<FunctionContext>();
        function.SetupGet(f => f.InstanceServices).Returns(scope.ServiceProvider);
        function.SetupGet(f => f.BindingContext).Returns(binding.Object);
        return function.Object;
    }

    private string Token(string subject, params string[] roles) =>
        _host.Services.GetRequiredService<DevTokenIssuer>().Issue(subject, Tenant, roles);

    private static DefaultHttpContext Request(AsyncServiceScope scope, HttpMethod method, string path, string? token, object? body = null)
    {
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Method = method.Method;
        http.Request.Scheme = "https";
        http.Request.Host = new HostString("sm-func-prod.azurewebsites.net");
        http.Request.Path = path;
        http.Connection.RemoteIpAddress = IPAddress.Loopback;
        if (token is not null)
        {
            http.Request.Headers.Authorization = "Bearer " + token;
        }

        if (body is not null)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body, JsonNames.Web);
            http.Request.ContentType = "application/json";
            http.Request.ContentLength = bytes.Length;
            http.Request.Body = new MemoryStream(bytes);
            http.Features.Set<IHttpRequestBodyDetectionFeature>(new HasBody());
        }

        http.Response.Body = new MemoryStream();
        return http;
    }

    /// <summary>What a server says of a request that came with a body (a bare DefaultHttpContext says it has none).</summary>
    private sealed class HasBody : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => true;
    }

    private static async Task<string> Body(DefaultHttpContext http)
    {
        http.Response.Body.Position = 0;
        using var reader = new StreamReader(http.Response.Body, Encoding.UTF8, leaveOpen: true);
        return await reader.ReadToEndAsync(Ct);
    }
}
