using Microsoft.DurableTask;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.CarAsAService.Payments;
using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.CarAsAService.Tests.Orders;

/// <summary>
/// The orchestrator's decisions, every path and every compensation, with a Moq-mocked
/// <see cref="TaskOrchestrationContext"/> as in Microsoft Learn's unit tests of isolated Durable Functions.
/// Waits with a timeout go through the SDK's own implementation (a durable timer raced against the event):
/// a scripted event wins; with none scripted the timer fires and moves the context's clock to its fire time.
/// </summary>
public sealed class OrderToDeliveryWorkflowTests
{
    private static readonly OrderRef Input = new("t1", "o-1");
    private readonly Mock<TaskOrchestrationContext> _context = new() { CallBase = true };
    private readonly List<(string Name, object? Input, TaskOptions? Options)> _calls = [];
    private readonly Dictionary<string, Queue<object>> _events = new(StringComparer.Ordinal);
    private readonly List<DateTime> _timers = [];
    private readonly OrderToDeliveryOptions _options = new();
    private DateTime _now = TestData.Now.UtcDateTime;
    private (DateTime FireAt, TaskCompletionSource Fired)? _pendingTimer;

    public OrderToDeliveryWorkflowTests()
    {
        _context.SetupGet(c => c.InstanceId).Returns(OrderToDeliveryWorkflow.InstanceIdFor(Input.TenantId, Input.OrderId));
        _context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => _now);
        _context.SetupGet(c => c.IsReplaying).Returns(false);
        _context.Setup(c => c.CreateReplaySafeLogger<OrderToDeliveryWorkflow>()).Returns(NullLogger.Instance);
        _context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<Type>())).Returns(NullLogger.Instance);
        _context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<string>())).Returns(NullLogger.Instance);
        _context.Setup(c => c.SetCustomStatus(It.IsAny<object?>()));
        _context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns((DateTime fireAt, CancellationToken cancellationToken) => StartTimer(fireAt, cancellationToken));
        EventsOf<PaymentOutcome>();
        EventsOf<FactoryStatusEvent>();

        Activity(CaasActivities.CreatePaymentIntent, new PaymentIntent("pi_1"));
        Activity(CaasActivities.PlaceFactoryOrder, new FactoryOrderResult(true, "fo_1"));
        Activity(CaasActivities.RegisterVehicle, "ES-0001-AB");
        Activity(CaasActivities.ProposeDelivery, TestData.Now.AddDays(3));
        Activity<IReadOnlyList<string>>(CaasActivities.IssueInvoice, ["a.json", "a.html"]);
        foreach (var name in new[]
                 {
                     CaasActivities.RecordPaymentOutcome, CaasActivities.RefundPayment, CaasActivities.ApplyManufacturingStatus,
                     CaasActivities.SendPaymentReminder, CaasActivities.ReturnVehicleToStock, CaasActivities.AssignVehicle,
                     CaasActivities.CompleteOrder, CaasActivities.CancelOrder,
                 })
        {
            Activity(name, Unit.Value);
        }
    }

    [Fact]
    public async Task RunAsync_HappyPath_CompletesWithPlateAfterEveryStepInOrder()
    {
        Deposit(new PaymentOutcome("pi_1", true));
        Manufacturing(ManufacturingStage.Accepted, ManufacturingStage.InProduction, ManufacturingStage.QualityCheck, ManufacturingStage.Shipped, ManufacturingStage.ReadyForDelivery);
        FinalPayment(new PaymentOutcome("pi_2", true));

        var result = await RunAsync();

        Assert.Equal(new OrderToDeliveryResult(OrderStatus.Completed, PlateNumber: "ES-0001-AB"), result);
        Assert.Equal(
            [
                CaasActivities.CreatePaymentIntent, CaasActivities.RecordPaymentOutcome, CaasActivities.PlaceFactoryOrder,
                CaasActivities.ApplyManufacturingStatus, CaasActivities.ApplyManufacturingStatus, CaasActivities.ApplyManufacturingStatus,
                CaasActivities.ApplyManufacturingStatus, CaasActivities.ApplyManufacturingStatus,
                CaasActivities.CreatePaymentIntent, CaasActivities.RecordPaymentOutcome, CaasActivities.AssignVehicle,
                CaasActivities.RegisterVehicle, CaasActivities.ProposeDelivery, CaasActivities.IssueInvoice, CaasActivities.CompleteOrder,
            ],
            _calls.Select(c => c.Name));
        Assert.Equal(new PaymentRequestInput(Input, PaymentPurpose.Deposit), _calls[0].Input);
        Assert.Equal(new PaymentRequestInput(Input, PaymentPurpose.Final), _calls[8].Input);
        Assert.Equal(new PaymentOutcomeInput(Input, PaymentPurpose.Final, new PaymentOutcome("pi_2", true)), _calls[9].Input);
        Assert.DoesNotContain(_calls, c => c.Name == CaasActivities.RefundPayment);

        // The deposit wait's timer is the configured timeout from the start; it was cancelled when the payment came.
        Assert.Equal(TestData.Now.UtcDateTime + _options.DepositTimeout, _timers[0]);
        Assert.Equal(TestData.Now.UtcDateTime, _now);
    }

    [Fact]
    public async Task RunAsync_RegistrationAndFactoryCalls_UseTheRetryPoliciesOfTheOptions()
    {
        _options.RegistrationMaxAttempts = 7;
        _options.RegistrationFirstRetry = TimeSpan.FromMinutes(2);
        _options.FactoryOrderMaxAttempts = 5;
        _options.FactoryOrderFirstRetry = TimeSpan.FromSeconds(7);
        Deposit(new PaymentOutcome("pi_1", true));
        Manufacturing(ManufacturingStage.ReadyForDelivery);
        FinalPayment(new PaymentOutcome("pi_2", true));

        await RunAsync();

        _context.Verify(c => c.CallActivityAsync<string>(It.Is<TaskName>(n => n.Name == CaasActivities.RegisterVehicle), Input,
            It.Is<TaskOptions>(o => o.Retry!.Policy!.MaxNumberOfAttempts == 7 && o.Retry.Policy.FirstRetryInterval == TimeSpan.FromMinutes(2))), Times.Once);
        var factory = _calls.Single(c => c.Name == CaasActivities.PlaceFactoryOrder);
        Assert.Equal(5, factory.Options?.Retry?.Policy?.MaxNumberOfAttempts);
        Assert.Equal(TimeSpan.FromSeconds(7), factory.Options?.Retry?.Policy?.FirstRetryInterval);
    }

    [Fact]
    public async Task RunAsync_DepositTimeout_CancelsWithoutFactoryOrder()
    {
        _options.DepositTimeout = TimeSpan.FromHours(48);

        var result = await RunAsync();

        Assert.Equal(new OrderToDeliveryResult(OrderStatus.Cancelled, OrderToDeliveryWorkflow.Reasons.DepositTimeout), result);
        Assert.Equal([CaasActivities.CreatePaymentIntent, CaasActivities.CancelOrder], _calls.Select(c => c.Name));
        Assert.Equal(new CancelOrderInput(Input, OrderToDeliveryWorkflow.Reasons.DepositTimeout), _calls[^1].Input);
        Assert.Equal(TestData.Now.AddHours(48).UtcDateTime, _now);
    }

    [Fact]
    public async Task RunAsync_DepositFailed_CancelsWithoutRefundOrFactoryOrder()
    {
        Deposit(new PaymentOutcome("pi_1", false, "card_declined"));

        var result = await RunAsync();

        Assert.Equal(new OrderToDeliveryResult(OrderStatus.Cancelled, OrderToDeliveryWorkflow.Reasons.DepositFailed), result);
        Assert.Equal([CaasActivities.CreatePaymentIntent, CaasActivities.RecordPaymentOutcome, CaasActivities.CancelOrder], _calls.Select(c => c.Name));
        Assert.Equal(new PaymentOutcomeInput(Input, PaymentPurpose.Deposit, new PaymentOutcome("pi_1", false, "card_declined")), _calls[1].Input);
    }

    [Fact]
    public async Task RunAsync_FactoryRejects_RefundsDepositThenCancels()
    {
        Deposit(new PaymentOutcome("pi_1", true));
        Activity(CaasActivities.PlaceFactoryOrder, new FactoryOrderResult(false, null, "discontinued"));

        var result = await RunAsync();

        Assert.Equal(new OrderToDeliveryResult(OrderStatus.Cancelled, OrderToDeliveryWorkflow.Reasons.FactoryRejected), result);
        Assert.Equal([CaasActivities.PlaceFactoryOrder, CaasActivities.RefundPayment, CaasActivities.CancelOrder], _calls.Skip(2).Select(c => c.Name));
        Assert.Equal(new PaymentRequestInput(Input, PaymentPurpose.Deposit), _calls[3].Input);
    }

    [Fact]
    public async Task RunAsync_FactoryFailsAfterRetries_RefundsDepositThenCancels()
    {
        Deposit(new PaymentOutcome("pi_1", true));
        _context.Setup(c => c.CallActivityAsync<FactoryOrderResult>(It.Is<TaskName>(n => n.Name == CaasActivities.PlaceFactoryOrder), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName name, object? input, TaskOptions? options) => _calls.Add((name.Name, input, options)))
            .ThrowsAsync(new TaskFailedException(CaasActivities.PlaceFactoryOrder, 3, new TaskFailureDetails("HttpRequestException", "503 Service Unavailable", null, null, null)));

        var result = await RunAsync();

        Assert.Equal(new OrderToDeliveryResult(OrderStatus.Cancelled, OrderToDeliveryWorkflow.Reasons.FactoryRejected), result);
        Assert.Equal([CaasActivities.PlaceFactoryOrder, CaasActivities.RefundPayment, CaasActivities.CancelOrder], _calls.Skip(2).Select(c => c.Name));
    }

    [Fact]
    public async Task RunAsync_DuplicateAndOutOfOrderStages_AppliesEachNewerStageOnce()
    {
        Deposit(new PaymentOutcome("pi_1", true));
        Manufacturing(ManufacturingStage.Accepted, ManufacturingStage.Accepted, ManufacturingStage.QualityCheck, ManufacturingStage.InProduction,
            ManufacturingStage.QualityCheck, ManufacturingStage.ReadyForDelivery);
        FinalPayment(new PaymentOutcome("pi_2", true));

        var result = await RunAsync();

        var applied = _calls.Where(c => c.Name == CaasActivities.ApplyManufacturingStatus)
            .Select(c => ((ManufacturingStatusInput)c.Input!).Status.Stage).ToList();
        Assert.Equal([ManufacturingStage.Accepted, ManufacturingStage.QualityCheck, ManufacturingStage.ReadyForDelivery], applied);
        Assert.Equal("VIN1", ((ManufacturingStatusInput)_calls.Last(c => c.Name == CaasActivities.ApplyManufacturingStatus).Input!).Status.Vin);
        Assert.Equal(OrderStatus.Completed, result.Status);
    }

    [Fact]
    public async Task RunAsync_FinalPaymentTimeout_RemindsEveryIntervalThenReturnsVehicleRefundsAndCancels()
    {
        Deposit(new PaymentOutcome("pi_1", true));
        Manufacturing(ManufacturingStage.ReadyForDelivery);

        var result = await RunAsync();

        Assert.Equal(new OrderToDeliveryResult(OrderStatus.Cancelled, OrderToDeliveryWorkflow.Reasons.FinalPaymentTimeout), result);

        // 14 days with a reminder every 3 days: reminders at days 3, 6, 9 and 12, then the deadline.
        Assert.Equal([1, 2, 3, 4], _calls.Where(c => c.Name == CaasActivities.SendPaymentReminder).Select(c => ((ReminderInput)c.Input!).Number));
        Assert.Equal([3d, 6d, 9d, 12d, 14d], _timers.Skip(1).Select(t => (t - TestData.Now.UtcDateTime).TotalDays));
        Assert.Equal([CaasActivities.ReturnVehicleToStock, CaasActivities.RefundPayment, CaasActivities.CancelOrder], _calls.TakeLast(3).Select(c => c.Name));
        Assert.Equal(new PaymentRequestInput(Input, PaymentPurpose.Deposit), _calls[^2].Input);
        Assert.DoesNotContain(_calls, c => c.Name is CaasActivities.AssignVehicle or CaasActivities.RegisterVehicle);
        Assert.DoesNotContain(_calls, c => c.Input is PaymentOutcomeInput { Purpose: PaymentPurpose.Final });
        Assert.Equal(TestData.Now.AddDays(14).UtcDateTime, _now);
    }

    [Fact]
    public async Task RunAsync_FinalPaymentTimeoutWithRetainPolicy_ReturnsVehicleAndKeepsTheDeposit()
    {
        _options.DepositPolicyOnFinalPaymentFailure = DepositPolicy.Retain;
        Deposit(new PaymentOutcome("pi_1", true));
        Manufacturing(ManufacturingStage.ReadyForDelivery);

        var result = await RunAsync();

        Assert.Equal(new OrderToDeliveryResult(OrderStatus.Cancelled, OrderToDeliveryWorkflow.Reasons.FinalPaymentTimeout), result);
        Assert.Equal([CaasActivities.ReturnVehicleToStock, CaasActivities.CancelOrder], _calls.TakeLast(2).Select(c => c.Name));
        Assert.DoesNotContain(_calls, c => c.Name == CaasActivities.RefundPayment);
    }

    [Fact]
    public async Task RunAsync_FinalPaymentArrivesAfterTwoReminders_CompletesWithoutCompensation()
    {
        Deposit(new PaymentOutcome("pi_1", true));
        Manufacturing(ManufacturingStage.ReadyForDelivery);
        var waits = 0;
        _context.Setup(c => c.WaitForExternalEvent<PaymentOutcome>(OrderToDeliveryWorkflow.FinalPaymentEvent, It.IsAny<CancellationToken>()))
            .Returns((string name, CancellationToken ct) => ++waits < 3 ? NoEvent<PaymentOutcome>(ct, name) : Task.FromResult(new PaymentOutcome("pi_2", true)));

        var result = await RunAsync();

        Assert.Equal(OrderStatus.Completed, result.Status);
        Assert.Equal(2, _calls.Count(c => c.Name == CaasActivities.SendPaymentReminder));
        Assert.DoesNotContain(_calls, c => c.Name is CaasActivities.ReturnVehicleToStock or CaasActivities.RefundPayment or CaasActivities.CancelOrder);
        Assert.Equal(TestData.Now.AddDays(6).UtcDateTime, _now);
    }

    [Fact]
    public async Task RunAsync_FinalPaymentFailed_RecordsItReturnsVehicleRefundsAndCancelsWithReason()
    {
        Deposit(new PaymentOutcome("pi_1", true));
        Manufacturing(ManufacturingStage.ReadyForDelivery);
        FinalPayment(new PaymentOutcome("pi_2", false, "insufficient_funds"));

        var result = await RunAsync();

        Assert.Equal(new OrderToDeliveryResult(OrderStatus.Cancelled, OrderToDeliveryWorkflow.Reasons.FinalPaymentFailed), result);
        Assert.Equal([CaasActivities.RecordPaymentOutcome, CaasActivities.ReturnVehicleToStock, CaasActivities.RefundPayment, CaasActivities.CancelOrder],
            _calls.TakeLast(4).Select(c => c.Name));
        Assert.DoesNotContain(_calls, c => c.Name == CaasActivities.SendPaymentReminder);
    }

    [Fact]
    public async Task RunAsync_DepositIntent_IsRetriedByTheOptionsPolicy_AndAProviderThatKeepsFailingCancelsTheOrder()
    {
        _options.PaymentIntentMaxAttempts = 6;
        _options.PaymentIntentFirstRetry = TimeSpan.FromSeconds(45);
        FailPaymentIntents();

        var result = await RunAsync();

        Assert.Equal(new OrderToDeliveryResult(OrderStatus.Cancelled, OrderToDeliveryWorkflow.Reasons.PaymentProviderUnavailable), result);
        Assert.Equal([CaasActivities.CreatePaymentIntent, CaasActivities.CancelOrder], _calls.Select(c => c.Name));
        var policy = _calls[0].Options?.Retry?.Policy;
        Assert.Equal(6, policy?.MaxNumberOfAttempts);
        Assert.Equal(TimeSpan.FromSeconds(45), policy?.FirstRetryInterval);
    }

    [Fact]
    public async Task RunAsync_FinalIntentProviderKeepsFailing_ReturnsVehicleRefundsTheDepositEvenWithRetainPolicyAndCancels()
    {
        _options.DepositPolicyOnFinalPaymentFailure = DepositPolicy.Retain;
        Deposit(new PaymentOutcome("pi_1", true));
        Manufacturing(ManufacturingStage.ReadyForDelivery);
        var attempts = 0;
        _context.Setup(c => c.CallActivityAsync<PaymentIntent>(It.Is<TaskName>(n => n.Name == CaasActivities.CreatePaymentIntent), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName name, object? input, TaskOptions? options) => _calls.Add((name.Name, input, options)))
            .Returns(() => ++attempts == 1
                ? Task.FromResult(new PaymentIntent("pi_1"))
                : Task.FromException<PaymentIntent>(new TaskFailedException(CaasActivities.CreatePaymentIntent, 9, new TaskFailureDetails("HttpRequestException", "503", null, null, null))));

        var result = await RunAsync();

        Assert.Equal(new OrderToDeliveryResult(OrderStatus.Cancelled, OrderToDeliveryWorkflow.Reasons.PaymentProviderUnavailable), result);
        Assert.Equal([CaasActivities.CreatePaymentIntent, CaasActivities.ReturnVehicleToStock, CaasActivities.RefundPayment, CaasActivities.CancelOrder],
            _calls.TakeLast(4).Select(c => c.Name));
        Assert.Equal(new PaymentRequestInput(Input, PaymentPurpose.Deposit), _calls[^2].Input);
    }

    private void FailPaymentIntents() =>
        _context.Setup(c => c.CallActivityAsync<PaymentIntent>(It.Is<TaskName>(n => n.Name == CaasActivities.CreatePaymentIntent), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName name, object? input, TaskOptions? options) => _calls.Add((name.Name, input, options)))
            .ThrowsAsync(new TaskFailedException(CaasActivities.CreatePaymentIntent, 2, new TaskFailureDetails("HttpRequestException", "503 Service Unavailable", null, null, null)));

    private Task<OrderToDeliveryResult> RunAsync() =>
        new OrderToDeliveryWorkflow(Options.Create(_options)).RunAsync(_context.Object, Input);

    private void Activity<T>(string name, T result) =>
        _context.Setup(c => c.CallActivityAsync<T>(It.Is<TaskName>(n => n.Name == name), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName activity, object? input, TaskOptions? options) => _calls.Add((activity.Name, input, options)))
            .ReturnsAsync(result);

    private void Deposit(PaymentOutcome outcome) => Script(OrderToDeliveryWorkflow.DepositPaymentEvent, outcome);

    private void FinalPayment(PaymentOutcome outcome) => Script(OrderToDeliveryWorkflow.FinalPaymentEvent, outcome);

    private void Manufacturing(params ManufacturingStage[] stages)
    {
        var n = 0;
        foreach (var stage in stages)
        {
            Script(OrderToDeliveryWorkflow.ManufacturingStatusEvent, new FactoryStatusEvent($"e{n++}", stage, stage == ManufacturingStage.ReadyForDelivery ? "VIN1" : null));
        }
    }

    private void Script(string eventName, object payload)
    {
        if (!_events.TryGetValue(eventName, out var queue))
        {
            _events[eventName] = queue = new Queue<object>();
        }

        queue.Enqueue(payload);
    }

    private void EventsOf<T>() =>
        _context.Setup(c => c.WaitForExternalEvent<T>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string name, CancellationToken cancellationToken) => _events.TryGetValue(name, out var queue) && queue.Count > 0
                ? Task.FromResult((T)queue.Dequeue())
                : NoEvent<T>(cancellationToken, name));

    /// <summary>A durable timer: it fires only when the event it races never comes (see <see cref="NoEvent{T}"/>).</summary>
    private Task StartTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        _timers.Add(fireAt);
        var fired = new TaskCompletionSource();
        cancellationToken.Register(() =>
        {
            fired.TrySetCanceled(cancellationToken);
            if (_pendingTimer?.Fired == fired)
            {
                _pendingTimer = null;
            }
        });
        _pendingTimer = (fireAt, fired);
        return fired.Task;
    }

    /// <summary>
    /// No event arrives: the timer the wait raced against fires (time moves to it) and the SDK cancels the wait.
    /// A wait without a timeout would wait forever, which a test must not.
    /// </summary>
    private Task<T> NoEvent<T>(CancellationToken cancellationToken, string? eventName = null)
    {
        if (_pendingTimer is not { } timer)
        {
            throw new InvalidOperationException($"The test scripted no '{eventName}' event for a wait without a timeout.");
        }

        var never = new TaskCompletionSource<T>();
        cancellationToken.Register(() => never.TrySetCanceled(cancellationToken));
        _pendingTimer = null;
        _now = timer.FireAt;
        timer.Fired.TrySetResult();
        return never.Task;
    }
}
