using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Workshop.Approval;
using ServerlessMobility.Workshop.Billing;
using ServerlessMobility.Workshop.Jobs;

namespace ServerlessMobility.Workshop.Tests.Domain;

public class ServiceJobTests
{
    [Fact]
    public void Lifecycle_CheckInToPaid_RecordsEveryStepAtTheClocksTime()
    {
        var clock = WorkshopFixtures.Clock();
        var job = WorkshopFixtures.AwaitingApproval(clock);
        clock.Advance(TimeSpan.FromHours(2));

        var decision = job.Decide(1, WorkshopFixtures.WipersDeclined(), clock.GetUtcNow());
        job.MoveTo(JobStatus.Blocked, clock.GetUtcNow(), "waiting for pads");
        job.MoveTo(JobStatus.InProgress, clock.GetUtcNow());
        job.MoveTo(JobStatus.Completed, clock.GetUtcNow());
        job.Invoice = InvoiceCalculator.For(job, 0.19m, clock.GetUtcNow());
        job.MoveTo(JobStatus.Invoiced, clock.GetUtcNow());
        job.Pay("till-1", job.Invoice.Gross, clock.GetUtcNow());

        Assert.Equal(JobStatus.Paid, job.Status);
        Assert.Equal(WorkshopFixtures.Monday.AddHours(2), decision.DecidedAt);
        Assert.Equal(job.Estimate!.Hash, decision.EstimateHash);
        Assert.Equal(
            [JobStatus.Inspecting, JobStatus.Estimated, JobStatus.AwaitingApproval, JobStatus.InProgress, JobStatus.Blocked, JobStatus.InProgress, JobStatus.Completed, JobStatus.Invoiced, JobStatus.Paid],
            job.History.Select(h => h.To));
    }

    [Theory]
    [InlineData(JobStatus.InProgress)]
    [InlineData(JobStatus.Completed)]
    [InlineData(JobStatus.Invoiced)]
    [InlineData(JobStatus.Paid)]
    [InlineData(JobStatus.Estimated)]
    public void MoveTo_SkippingSteps_ConflictAndNothingChanges(JobStatus target)
    {
        var clock = WorkshopFixtures.Clock();
        var job = ServiceJob.Open(WorkshopFixtures.Booking(), new CheckInRecord(1, 50, [], clock.GetUtcNow(), "s"), "DE", "EUR");

        Assert.Throws<ConflictException>(() => job.MoveTo(target, clock.GetUtcNow()));

        Assert.Equal(JobStatus.CheckedIn, job.Status);
        Assert.Empty(job.History);
    }

    [Fact]
    public void Propose_BeforeInspection_Conflict()
    {
        var clock = WorkshopFixtures.Clock();
        var job = ServiceJob.Open(WorkshopFixtures.Booking(), new CheckInRecord(1, 50, [], clock.GetUtcNow(), "s"), "DE", "EUR");

        Assert.Throws<ConflictException>(() => job.Propose(WorkshopFixtures.Lines(), clock.GetUtcNow()));
        Assert.Null(job.Estimate);
    }

    [Fact]
    public void Open_FuelLevelAbove100_Invalid()
    {
        Assert.Throws<RequestValidationException>(() => ServiceJob.Open(WorkshopFixtures.Booking(), new CheckInRecord(1, 101, [], WorkshopFixtures.Monday, "s"), "DE", "EUR"));
    }

    [Fact]
    public void Decide_OnARevisedEstimatesOldVersion_Conflict()
    {
        var clock = WorkshopFixtures.Clock();
        var job = WorkshopFixtures.AwaitingApproval(clock);
        job.Propose(WorkshopFixtures.Lines().Take(2).ToList(), clock.GetUtcNow());
        job.MoveTo(JobStatus.AwaitingApproval, clock.GetUtcNow());

        Assert.Throws<ConflictException>(() => job.Decide(1, WorkshopFixtures.WipersDeclined(), clock.GetUtcNow()));
        Assert.Null(job.Approval);
    }

    [Fact]
    public void Decide_MissingALine_Invalid()
    {
        var clock = WorkshopFixtures.Clock();
        var job = WorkshopFixtures.AwaitingApproval(clock);

        Assert.Throws<RequestValidationException>(() => job.Decide(1, [new LineDecision("labour", true), new LineDecision("pads", true)], clock.GetUtcNow()));
        Assert.Throws<RequestValidationException>(() => job.Decide(1, [new LineDecision("labour", true), new LineDecision("labour", true), new LineDecision("pads", true)], clock.GetUtcNow()));
        Assert.Equal(JobStatus.AwaitingApproval, job.Status);
    }

    [Fact]
    public void Decide_EveryLineDeclined_JobDeclinedAndNothingToReserve()
    {
        var clock = WorkshopFixtures.Clock();
        var job = WorkshopFixtures.AwaitingApproval(clock);

        job.Decide(1, [new LineDecision("labour", false), new LineDecision("pads", false), new LineDecision("wipers", false)], clock.GetUtcNow());

        Assert.Equal(JobStatus.Declined, job.Status);
        Assert.Empty(job.ApprovedParts());
        Assert.Throws<ConflictException>(() => job.MoveTo(JobStatus.InProgress, clock.GetUtcNow()));
    }

    [Fact]
    public void ApprovedParts_WipersDeclined_OnlyThePads()
    {
        var clock = WorkshopFixtures.Clock();
        var job = WorkshopFixtures.AwaitingApproval(clock);

        job.Decide(1, WorkshopFixtures.WipersDeclined(), clock.GetUtcNow());

        Assert.Equal(["pads"], job.ApprovedParts().Select(l => l.Id));
    }

    [Fact]
    public void Clock_OnOffAndBlocked_HoursPerEntryAndOpenClocksStopWhenBlocked()
    {
        var clock = WorkshopFixtures.Clock();
        var job = WorkshopFixtures.AwaitingApproval(clock);
        Assert.Throws<ConflictException>(() => job.ClockOn("tech-1", clock.GetUtcNow()));
        job.Decide(1, WorkshopFixtures.WipersDeclined(), clock.GetUtcNow());

        job.ClockOn("tech-1", clock.GetUtcNow());
        Assert.Throws<ConflictException>(() => job.ClockOn("tech-1", clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMinutes(45));
        job.ClockOff("tech-1", clock.GetUtcNow());
        Assert.Throws<ConflictException>(() => job.ClockOff("tech-1", clock.GetUtcNow()));
        job.ClockOn("tech-2", clock.GetUtcNow());
        clock.Advance(TimeSpan.FromMinutes(30));
        job.MoveTo(JobStatus.Blocked, clock.GetUtcNow(), "waiting for parts");

        Assert.Equal([0.75m, 0.5m], job.TimeEntries.Select(t => t.Hours));
        Assert.Equal(1.25m, job.HoursWorked);
        Assert.Throws<ConflictException>(() => job.ClockOn("tech-1", clock.GetUtcNow()));
    }

    [Fact]
    public void Pay_WrongAmount_RuleBrokenAndStillInvoiced()
    {
        var clock = WorkshopFixtures.Clock();
        var job = WorkshopFixtures.AwaitingApproval(clock);
        job.Decide(1, WorkshopFixtures.WipersDeclined(), clock.GetUtcNow());
        job.MoveTo(JobStatus.Completed, clock.GetUtcNow());
        job.Invoice = InvoiceCalculator.For(job, 0.19m, clock.GetUtcNow());
        job.MoveTo(JobStatus.Invoiced, clock.GetUtcNow());

        Assert.Throws<BusinessRuleException>(() => job.Pay("till-1", new Money(1m, "EUR"), clock.GetUtcNow()));
        Assert.Equal(JobStatus.Invoiced, job.Status);

        job.Pay("till-1", job.Invoice.Gross, clock.GetUtcNow());
        job.Pay("till-1", job.Invoice.Gross, clock.GetUtcNow());
        Assert.Equal(JobStatus.Paid, job.Status);
    }

    [Fact]
    public void RecordPartReservations_PartShort_BlockedWithTheMissingPartNamedThenBackInProgressOnceReserved()
    {
        var clock = WorkshopFixtures.Clock();
        var job = WorkshopFixtures.AwaitingApproval(clock);
        job.Decide(1, WorkshopFixtures.WipersDeclined(), clock.GetUtcNow());
        var pads = new JobPartReservation("PAD-1", "main", 2);

        job.RecordPartReservations([], [new MissingPart("PAD-1", "main", 2, 1, new Parts.PurchaseOrderSuggestion("PAD-1", "main", 3))], clock.GetUtcNow());

        Assert.Equal((JobStatus.Blocked, true), (job.Status, job.BlockedForParts));
        Assert.Equal("waiting for parts: PAD-1 at main (2 needed, 1 available)", job.History[^1].Reason);
        Assert.Equal(3, Assert.Single(job.MissingParts).Suggestion!.Quantity);

        // Asked again while still short: nothing new in the history.
        var changes = job.History.Count;
        job.RecordPartReservations([], [new MissingPart("PAD-1", "main", 2, 1, null)], clock.GetUtcNow());
        Assert.Equal(changes, job.History.Count);

        clock.Advance(TimeSpan.FromHours(1));
        job.RecordPartReservations([pads], [], clock.GetUtcNow());

        Assert.Equal((JobStatus.InProgress, false), (job.Status, job.BlockedForParts));
        Assert.Equal(new StatusChange(JobStatus.Blocked, JobStatus.InProgress, WorkshopFixtures.Monday.AddHours(1), "parts reserved: PAD-1 at main"), job.History[^1]);
        Assert.Equal([pads], job.Parts);
        Assert.Empty(job.MissingParts);
    }

    [Fact]
    public void RecordPartReservations_BlockedByStaff_StaysBlockedWhenThePartsAreReserved()
    {
        var clock = WorkshopFixtures.Clock();
        var job = WorkshopFixtures.AwaitingApproval(clock);
        job.Decide(1, WorkshopFixtures.WipersDeclined(), clock.GetUtcNow());
        job.MoveTo(JobStatus.Blocked, clock.GetUtcNow(), "waiting for a torque wrench");

        job.RecordPartReservations([], [new MissingPart("PAD-1", "main", 2, 0, null)], clock.GetUtcNow());
        job.RecordPartReservations([new JobPartReservation("PAD-1", "main", 2)], [], clock.GetUtcNow());

        Assert.Equal((JobStatus.Blocked, false), (job.Status, job.BlockedForParts));
        Assert.Equal("waiting for a torque wrench", job.History[^1].Reason);
        Assert.Single(job.Parts);
    }

    [Fact]
    public void RecordPartReservations_BlockedForPartsThenStaffResume_NoLongerCountsAsWaitingForParts()
    {
        var clock = WorkshopFixtures.Clock();
        var job = WorkshopFixtures.AwaitingApproval(clock);
        job.Decide(1, WorkshopFixtures.WipersDeclined(), clock.GetUtcNow());
        job.RecordPartReservations([], [new MissingPart("PAD-1", "main", 2, 0, null)], clock.GetUtcNow());

        job.MoveTo(JobStatus.InProgress, clock.GetUtcNow(), "pads borrowed from the next workshop");

        Assert.False(job.BlockedForParts);
    }

    [Fact]
    public void RecordPartReservations_JobNotInProgress_Conflict()
    {
        var clock = WorkshopFixtures.Clock();
        var job = WorkshopFixtures.AwaitingApproval(clock);

        Assert.Throws<ConflictException>(() => job.RecordPartReservations([], [new MissingPart("PAD-1", "main", 2, 0, null)], clock.GetUtcNow()));
        Assert.Equal(JobStatus.AwaitingApproval, job.Status);
    }
}
