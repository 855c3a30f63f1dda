using Microsoft.DurableTask;
using Moq;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.CarAsAService.Tests.Features;

/// <summary>The billing orchestrator's decisions at the end of a month, with a Moq-mocked <see cref="TaskOrchestrationContext"/>.</summary>
public sealed class FeatureBillingWorkflowTests
{
    private static readonly DateTimeOffset Start = new(2027, 2, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddSeconds(20);
    private static readonly FeatureBillingInput Input = new("t1", "c-1", Start, End);
    private readonly Mock<TaskOrchestrationContext> _context = new() { CallBase = true };
    private readonly List<(string Name, object? Input)> _calls = [];
    private readonly List<(object? Input, bool PreserveEvents)> _continued = [];
    private readonly Queue<FeatureBillingInput> _activations = new();
    private DateTime _now = End.AddSeconds(1).UtcDateTime;

    public FeatureBillingWorkflowTests()
    {
        // The month is over when the execution runs; a durable timer moves the clock to its fire time.
        _context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => _now);
        _context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Callback((DateTime fireAt, CancellationToken _) => _now = fireAt)
            .Returns(Task.CompletedTask);
        _context.Setup(c => c.SetCustomStatus(It.IsAny<object?>()));
        _context.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()))
            .Callback((object? input, bool preserve) => _continued.Add((input, preserve)));
        _context.Setup(c => c.WaitForExternalEvent<FeatureBillingInput>(FeatureBillingWorkflow.ActivatedEvent, It.IsAny<CancellationToken>()))
            .Returns(() => _activations.Count > 0
                ? Task.FromResult(_activations.Dequeue())
                : throw new InvalidOperationException("The test raised no more activations."));
        _context.Setup(c => c.CallActivityAsync<IReadOnlyList<string>>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName name, object? input, TaskOptions? _) => _calls.Add((name.Name, input)))
            .ReturnsAsync([]);
        _context.Setup(c => c.CallActivityAsync<Unit>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName name, object? input, TaskOptions? _) => _calls.Add((name.Name, input)))
            .ReturnsAsync(Unit.Value);
    }

    [Fact]
    public async Task RunAsync_OpenSubscriptionsLeft_BillsTheMonthAndContinuesWithTheNextOneDecidedByTheActivity()
    {
        BillMonth(hasOpen: true);

        await RunAsync();

        Assert.Equal([FeatureActivities.BillMonth], _calls.Select(c => c.Name));
        Assert.Equal(Input, _calls[0].Input);
        Assert.Equal((Input with { PeriodStart = End, PeriodEnd = End.AddSeconds(20) }, false), Assert.Single(_continued));
        _context.Verify(c => c.WaitForExternalEvent<FeatureBillingInput>(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RunAsync_NothingOpenLeft_WaitsIdleIgnoringMonthsAlreadyBilled_ThenBillsFromTheNextActivationsMonth()
    {
        BillMonth(hasOpen: false);
        var stale = Input with { PeriodStart = Start, PeriodEnd = End }; // told late about an activation of the month just billed
        var next = Input with { PeriodStart = End.AddSeconds(60), PeriodEnd = End.AddSeconds(80) };
        _activations.Enqueue(stale);
        _activations.Enqueue(next);

        await RunAsync();

        Assert.Equal((next, false), Assert.Single(_continued));
        Assert.Empty(_activations);
        _context.Verify(c => c.SetCustomStatus(It.Is<object?>(s => s != null && s.ToString()!.Contains("idle", StringComparison.Ordinal))), Times.Once);
    }

    [Fact]
    public async Task RunAsync_NothingOpenButAnInvoiceCollectedLater_ContinuesWithTheNextMonthWithoutWaitingIdle()
    {
        BillMonth(hasOpen: false, unpaid: ["c-1.inv"], retryOffsets: [TimeSpan.FromSeconds(3)]);

        await RunAsync();

        Assert.Equal([FeatureActivities.BillMonth, FeatureActivities.RetryInvoices], _calls.Select(c => c.Name));
        var round = Assert.IsType<FeatureInvoiceRound>(_calls[1].Input);
        Assert.Equal(("t1", "c-1", 2), (round.TenantId, round.CustomerId, round.Attempt));
        Assert.Equal(["c-1.inv"], round.InvoiceIds);
        Assert.Equal(End.AddSeconds(3).UtcDateTime, _now); // the retry waited for its date
        Assert.Equal((Input with { PeriodStart = End, PeriodEnd = End.AddSeconds(20) }, false), Assert.Single(_continued));
    }

    private Task<FeatureBillingResult> RunAsync() => new FeatureBillingWorkflow().RunAsync(_context.Object, Input);

    private void BillMonth(bool hasOpen, IReadOnlyList<string>? unpaid = null, IReadOnlyList<TimeSpan>? retryOffsets = null) =>
        _context.Setup(c => c.CallActivityAsync<FeatureMonthBilled>(It.Is<TaskName>(n => n.Name == FeatureActivities.BillMonth), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Callback((TaskName name, object? input, TaskOptions? _) => _calls.Add((name.Name, input)))
            .ReturnsAsync(new FeatureMonthBilled(["c-1.inv"], hasOpen, unpaid ?? [], retryOffsets ?? [], End.AddSeconds(20)));
}
