using System.Text.Json;
using Moq;
using ServerlessMobility.Core.Http;
using ServerlessMobility.Core.RentToOwn.Collection;
using ServerlessMobility.Core.RentToOwn.Plans;
using ServerlessMobility.Core.RentToOwn.Simulation;
using ServerlessMobility.Core.Vehicles;
using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.RentToOwn.Tests.Collection;

/// <summary>
/// The collection workflow wired to its real activities; the plan store keeps JSON copies (as a
/// document store does), the payment provider, notifier and vehicle are simulators we can script.
/// </summary>
internal sealed class CollectionScenario
{
    public const string Tenant = "tenant-a";

    public CollectionScenario(PaymentPlan plan, CollectionOptions? options = null)
    {
        Plan = plan;
        Store.Seed(plan);
        Options = options ?? new CollectionOptions();
        Harness = new WorkflowHarness(CollectionWorkflow.InstanceIdFor(plan.TenantId, plan.Id), plan.CreatedAt);
        var workflows = new Mock<IWorkflowClient>();
        workflows.Setup(w => w.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string name, object? payload, CancellationToken _) => Harness.RaiseEvent(name, payload))
            .Returns(Task.CompletedTask);
        Payments = new PlanPayments(Store, workflows.Object);
        var wrapped = Microsoft.Extensions.Options.Options.Create(Options);
        Harness.Register(GetPlanPositionActivity.Name, new GetPlanPositionActivity(Store));
        Harness.Register(ChargeInstalmentActivity.Name, new ChargeInstalmentActivity(Gateway, Payments, AgentTasks));
        Harness.Register(NotifyCustomerActivity.Name, new NotifyCustomerActivity(Notifier));
        Harness.Register(DeclareDefaultActivity.Name, new DeclareDefaultActivity(Store, AgentTasks));
        Harness.Register(GetVehicleMotionActivity.Name, new GetVehicleMotionActivity(Vehicles));
        Harness.Register(SendVehicleCommandActivity.Name, new SendVehicleCommandActivity(Vehicle, wrapped));
        Workflow = new CollectionWorkflow(wrapped);
        Vehicles.Set(plan.TenantId, plan.VehicleId, new VehicleMotion(0, plan.CreatedAt));
    }

    public PaymentPlan Plan { get; }

    public CollectionOptions Options { get; }

    public WorkflowHarness Harness { get; }

    public CollectionWorkflow Workflow { get; }

    public InMemoryPlanStore Store { get; } = new();

    public PlanPayments Payments { get; }

    public SimulatedMobileMoneyGateway Gateway { get; } = new();

    public RecordingNotifier Notifier { get; } = new();

    public RecordingAgentTasks AgentTasks { get; } = new();

    public SimulatedVehicleState Vehicles { get; } = new();

    public RecordingVehicle Vehicle { get; } = new();

    public PaymentPlan Current => Store.Get(Plan.TenantId, Plan.Id);

    public Task<CollectionResult?> RunAsync(DateTimeOffset? stopAt = null) =>
        Harness.RunAsync(Workflow, new CollectionInput(Plan.TenantId, Plan.Id), stopAt ?? Plan.Schedule[^1].DueDate.AddDays(60));

    /// <summary>A provider callback (webhook) at virtual time <paramref name="at"/>.</summary>
    public void CallbackAt(DateTimeOffset at, string providerReference, Func<PaymentPlan, decimal> amount) =>
        Harness.At(at, () => Payments.RecordAsync(Plan.TenantId, Plan.Id, providerReference, amount(Current), Harness.CurrentUtcDateTime).GetAwaiter().GetResult());

    public void MotionAt(DateTimeOffset at, double speedKmh) =>
        Harness.At(at, () => Vehicles.Set(Plan.TenantId, Plan.VehicleId, new VehicleMotion(speedKmh, at)));

    /// <summary>Charges for instalment <paramref name="number"/> decline on the attempts listed (0 = due date).</summary>
    public static bool Attempt(ChargeRequest request, int number, int attempt) =>
        request.IdempotencyKey.EndsWith($":{number}:{attempt}", StringComparison.Ordinal);
}

internal sealed class InMemoryPlanStore : IPaymentPlanStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly Dictionary<(string, string), string> _documents = [];

    public void Seed(PaymentPlan plan) => _documents[(plan.TenantId, plan.Id)] = JsonSerializer.Serialize(plan, Json);

    public PaymentPlan Get(string tenantId, string planId) => JsonSerializer.Deserialize<PaymentPlan>(_documents[(tenantId, planId)], Json)!;

    public Task<PaymentPlan?> GetAsync(string tenantId, string planId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_documents.ContainsKey((tenantId, planId)) ? Get(tenantId, planId) : null);

    public Task CreateAsync(PaymentPlan plan, CancellationToken cancellationToken = default)
    {
        if (_documents.ContainsKey((plan.TenantId, plan.Id)))
        {
            throw new ConflictException("exists");
        }

        Seed(plan);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PaymentPlan>> ListForCustomerAsync(string tenantId, string customerId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<PaymentPlan>>(_documents.Keys.Where(k => k.Item1 == tenantId).Select(k => Get(k.Item1, k.Item2)).Where(p => p.CustomerId == customerId).ToList());

    public Task<T> UpdateAsync<T>(string tenantId, string planId, Func<PaymentPlan, T> change, CancellationToken cancellationToken = default)
    {
        if (!_documents.ContainsKey((tenantId, planId)))
        {
            throw new ResourceNotFoundException("Plan", planId);
        }

        var plan = Get(tenantId, planId);
        var result = change(plan);
        Seed(plan);
        return Task.FromResult(result);
    }
}

internal sealed class RecordingNotifier : IRentToOwnNotifier
{
    public List<CustomerNotification> Sent { get; } = [];

    public Task SendAsync(CustomerNotification notification, CancellationToken cancellationToken = default)
    {
        Sent.Add(notification);
        return Task.CompletedTask;
    }
}

internal sealed class RecordingAgentTasks : IAgentTaskQueue
{
    public Dictionary<string, AgentTask> Tasks { get; } = [];

    public Task OpenAsync(AgentTask task, CancellationToken cancellationToken = default)
    {
        Tasks.TryAdd(task.Id, task);
        return Task.CompletedTask;
    }
}

/// <summary>A vehicle that answers direct methods; <see cref="Status"/> can make it refuse.</summary>
internal sealed class RecordingVehicle : IVehicleCommandChannel
{
    public List<string> Commands { get; } = [];

    public int Status { get; set; } = 200;

    public Task<DirectMethodResult> InvokeAsync(string deviceId, string methodName, string payloadJson, TimeSpan responseTimeout, CancellationToken cancellationToken = default)
    {
        Commands.Add(methodName);
        return Task.FromResult(new DirectMethodResult(Status, "{}"));
    }
}
