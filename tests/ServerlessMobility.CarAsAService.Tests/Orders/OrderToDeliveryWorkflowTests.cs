using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using ServerlessMobility.Core.CarAsAService;
using ServerlessMobility.Core.CarAsAService.Orders;
using ServerlessMobility.Core.CarAsAService.Payments;
using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.CarAsAService.Tests.Orders;

/// <summary>The orchestrator's decisions, with a mocked context: every path and every compensation.</summary>
public sealed class OrderToDeliveryWorkflowTests
{
    private static readonly OrderRef Input = new("t1", "o-1");
    private readonly Mock<IWorkflowContext> _context = new(MockBehavior.Strict);
    private readonly List<(string Name, object? Input)> _calls = [];
    private readonly OrderToDeliveryOptions _options = new();
    private DateTimeOffset _now = TestData.Now;

    public OrderToDeliveryWorkflowTests()
    {
        _context.SetupGet(c => c.InstanceId).Returns(Input.OrderId);
        _context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => _now);
        _context.Setup(c => c.CreateReplaySafeLogger(It.IsAny<string>())).Returns(NullLogger.Instance);
        _context.Setup(c => c.SetCustomStatus(It.IsAny<object?>()));
        Activity<PaymentIntent>(CaasActivities.CreatePaymentIntent, new PaymentIntent("pi_1"));
        Activity<FactoryOrderResult>(CaasActivities.PlaceFactoryOrder, new FactoryOrderResult(true, "fo_1"));
        Activity<string>(CaasActivities.RegisterVehicle, "ES-0001-AB");
        Activity<DateTimeOffset>(CaasActivities.ProposeDelivery, TestData.Now.AddDays(3));
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
    public async Task RunAsync_HappyPath_CompletesWithPlateAfterEveryStep()
    {
        Deposit(new PaymentOutcome("pi_1", true));
        Manufacturing(ManufacturingStage.Accepted, ManufacturingStage.InProduction, ManufacturingStage.QualityCheck, ManufacturingStage.Shipped, ManufacturingStage.ReadyForDelivery);
        FinalPaymentArrives(new PaymentOutcome("pi_2", true));

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
        Assert.DoesNotContain(_calls, c => c.Name == CaasActivities.RefundPayment);
    }

    [Fact]
    public async Task RunAsync_RegistrationCall_UsesConfiguredRetryPolicy()
    {
        Deposit(new PaymentOutcome("pi_1", true));
        Manufacturing(ManufacturingStage.ReadyForDelivery);
        FinalPaymentArrives(new PaymentOutcome("pi_2", true));

        await RunAsync();

        _context.Verify(c => c.CallActivityAsync<string>(CaasActivities.RegisterVehicle, Input,
            It.Is<RetryPolicy>(p => p.MaxNumberOfAttempts == _options.RegistrationMaxAttempts)), Times.Once);
    }

    [Fact]
    public async Task RunAsync_DepositTimeout_CancelsWithoutFactoryOrder()
    {
        _context.Setup(c => c.WaitForExternalEvent<PaymentOutcome>(OrderToDeliveryWorkflow.DepositPaymentEvent, TimeSpan.FromHours(72), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new WorkflowEventTimeoutException(OrderToDeliveryWorkflow.DepositPaymentEvent, TimeSpan.FromHours(72)));

        var result = await RunAsync();

        Assert.Equal(new OrderToDeliveryResult(OrderStatus.Cancelled, OrderToDeliveryWorkflow.Reasons.DepositTimeout), result);
        Assert.Equal([CaasActivities.CreatePaymentIntent, CaasActivities.CancelOrder], _calls.Select(c => c.Name));
        Assert.Equal(new CancelOrderInput(Input, OrderToDeliveryWorkflow.Reasons.DepositTimeout), _calls[^1].Input);
    }

    [Fact]
    public async Task RunAsync_DepositFailed_CancelsWithoutRefund()
    {
        Deposit(new PaymentOutcome("pi_1", false, "card_declined"));

        var result = await RunAsync();

        Assert.Equal(OrderToDeliveryWorkflow.Reasons.DepositFailed, result.Reason);
        Assert.DoesNotContain(_calls, c => c.Name is CaasActivities.RefundPayment or CaasActivities.PlaceFactoryOrder);
    }

    [Fact]
    public async Task RunAsync_FactoryRejects_RefundsDepositThenCancels()
    {
        Deposit(new PaymentOutcome("pi_1", true));
        Activity<FactoryOrderResult>(CaasActivities.PlaceFactoryOrder, new FactoryOrderResult(false, null, "discontinued"));

        var result = await RunAsync();

        Assert.Equal(new OrderToDeliveryResult(OrderStatus.Cancelled, OrderToDeliveryWorkflow.Reasons.FactoryRejected), result);
        Assert.Equal([CaasActivities.PlaceFactoryOrder, CaasActivities.RefundPayment, CaasActivities.CancelOrder], _calls.Skip(2).Select(c => c.Name));
        Assert.Equal(new PaymentRequestInput(Input, PaymentPurpose.Deposit), _calls[3].Input);
    }

    [Fact]
    public async Task RunAsync_FactoryFailsAfterRetries_RefundsDepositThenCancels()
    {
        Deposit(new PaymentOutcome("pi_1", true));
        _context.Setup(c => c.CallActivityAsync<FactoryOrderResult>(CaasActivities.PlaceFactoryOrder, It.IsAny<object?>(), It.IsAny<RetryPolicy?>()))
            .Callback<string, object?, RetryPolicy?>((n, i, _) => _calls.Add((n, i)))
            .ThrowsAsync(new WorkflowTaskFailedException(CaasActivities.PlaceFactoryOrder, 3, new WorkflowFailureDetails("HttpRequestException", "503")));

        var result = await RunAsync();

        Assert.Equal(OrderToDeliveryWorkflow.Reasons.FactoryRejected, result.Reason);
        Assert.Contains(_calls, c => c.Name == CaasActivities.RefundPayment);
    }

    [Fact]
    public async Task RunAsync_DuplicateAndOutOfOrderStages_AppliesEachNewerStageOnce()
    {
        Deposit(new PaymentOutcome("pi_1", true));
        Manufacturing(ManufacturingStage.Accepted, ManufacturingStage.Accepted, ManufacturingStage.QualityCheck, ManufacturingStage.InProduction,
            ManufacturingStage.ReadyForDelivery);
        FinalPaymentArrives(new PaymentOutcome("pi_2", true));

        await RunAsync();

        var applied = _calls.Where(c => c.Name == CaasActivities.ApplyManufacturingStatus)
            .Select(c => ((ManufacturingStatusInput)c.Input!).Status.Stage).ToList();
        Assert.Equal([ManufacturingStage.Accepted, ManufacturingStage.QualityCheck, ManufacturingStage.ReadyForDelivery], applied);
    }

    [Fact]
    public async Task RunAsync_FinalPaymentTimeout_RemindsReturnsVehicleRefundsAndCancels()
    {
        Deposit(new PaymentOutcome("pi_1", true));
        Manufacturing(ManufacturingStage.ReadyForDelivery);
        FinalPaymentNeverArrives();

        var result = await RunAsync();

        Assert.Equal(new OrderToDeliveryResult(OrderStatus.Cancelled, OrderToDeliveryWorkflow.Reasons.FinalPaymentTimeout), result);

        // 14 days with a reminder every 3 days: reminders at days 3, 6, 9 and 12, then the deadline.
        Assert.Equal(4, _calls.Count(c => c.Name == CaasActivities.SendPaymentReminder));
        Assert.Equal([CaasActivities.ReturnVehicleToStock, CaasActivities.RefundPayment, CaasActivities.CancelOrder], _calls.TakeLast(3).Select(c => c.Name));
        Assert.DoesNotContain(_calls, c => c.Name is CaasActivities.AssignVehicle or CaasActivities.RegisterVehicle);
        Assert.Equal(TestData.Now.AddDays(14), _now);
    }

    [Fact]
    public async Task RunAsync_FinalPaymentTimeoutWithRetainPolicy_KeepsDeposit()
    {
        _options.DepositPolicyOnFinalPaymentFailure = DepositPolicy.Retain;
        Deposit(new PaymentOutcome("pi_1", true));
        Manufacturing(ManufacturingStage.ReadyForDelivery);
        FinalPaymentNeverArrives();

        var result = await RunAsync();

        Assert.Equal(OrderStatus.Cancelled, result.Status);
        Assert.Contains(_calls, c => c.Name == CaasActivities.ReturnVehicleToStock);
        Assert.DoesNotContain(_calls, c => c.Name == CaasActivities.RefundPayment);
    }

    [Fact]
    public async Task RunAsync_FinalPaymentFailed_ReturnsVehicleAndCancelsWithReason()
    {
        Deposit(new PaymentOutcome("pi_1", true));
        Manufacturing(ManufacturingStage.ReadyForDelivery);
        FinalPaymentArrives(new PaymentOutcome("pi_2", false, "insufficient_funds"));

        var result = await RunAsync();

        Assert.Equal(OrderToDeliveryWorkflow.Reasons.FinalPaymentFailed, result.Reason);
        Assert.Equal([CaasActivities.RecordPaymentOutcome, CaasActivities.ReturnVehicleToStock, CaasActivities.RefundPayment, CaasActivities.CancelOrder],
            _calls.TakeLast(4).Select(c => c.Name));
    }

    private Task<OrderToDeliveryResult> RunAsync() =>
        new OrderToDeliveryWorkflow(Options.Create(_options)).RunAsync(_context.Object, Input);

    private void Activity<T>(string name, T result) =>
        _context.Setup(c => c.CallActivityAsync<T>(name, It.IsAny<object?>(), It.IsAny<RetryPolicy?>()))
            .Callback<string, object?, RetryPolicy?>((n, i, _) => _calls.Add((n, i)))
            .ReturnsAsync(result);

    private void Deposit(PaymentOutcome outcome) =>
        _context.Setup(c => c.WaitForExternalEvent<PaymentOutcome>(OrderToDeliveryWorkflow.DepositPaymentEvent, It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(outcome);

    private void Manufacturing(params ManufacturingStage[] stages)
    {
        var sequence = _context.SetupSequence(c => c.WaitForExternalEvent<FactoryStatusEvent>(OrderToDeliveryWorkflow.ManufacturingStatusEvent, It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()));
        var n = 0;
        foreach (var stage in stages)
        {
            sequence = sequence.ReturnsAsync(new FactoryStatusEvent($"e{n++}", stage, stage == ManufacturingStage.ReadyForDelivery ? "VIN1" : null));
        }
    }

    private void FinalPaymentArrives(PaymentOutcome outcome) =>
        _context.Setup(c => c.WaitForExternalEvent<PaymentOutcome>(OrderToDeliveryWorkflow.FinalPaymentEvent, It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(outcome);

    /// <summary>Each wait times out after its full timeout, moving workflow time on as a durable timer would.</summary>
    private void FinalPaymentNeverArrives() =>
        _context.Setup(c => c.WaitForExternalEvent<PaymentOutcome>(OrderToDeliveryWorkflow.FinalPaymentEvent, It.IsAny<TimeSpan?>(), It.IsAny<CancellationToken>()))
            .Returns((string name, TimeSpan? timeout, CancellationToken _) =>
            {
                _now += timeout!.Value;
                return Task.FromException<PaymentOutcome>(new WorkflowEventTimeoutException(name, timeout.Value));
            });
}
