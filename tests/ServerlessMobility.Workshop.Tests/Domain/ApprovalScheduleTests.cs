using ServerlessMobility.Workshop.Approval;
using ServerlessMobility.Workshop.Jobs;

namespace ServerlessMobility.Workshop.Tests.Domain;

public class ApprovalScheduleTests
{
    private static ApprovalWorkflowOptions Options(double intervalHours, double expiryHours) =>
        new() { ReminderInterval = TimeSpan.FromHours(intervalHours), Expiry = TimeSpan.FromHours(expiryHours) };

    [Fact]
    public void Defaults_RemindAfterOneAndTwoDays_ExpireAfterThree()
    {
        var options = new ApprovalWorkflowOptions();

        Assert.Equal([TimeSpan.FromDays(1), TimeSpan.FromDays(2)], ApprovalSchedule.ReminderOffsets(options));
        Assert.True(options.IsValid(linkLifetime: TimeSpan.FromDays(3)));
    }

    [Fact]
    public void ReminderAtTheExpiry_IsNotSent()
    {
        Assert.Equal([TimeSpan.FromHours(12)], ApprovalSchedule.ReminderOffsets(Options(12, 24)));
    }

    [Fact]
    public void IntervalLongerThanTheExpiry_NoReminders()
    {
        Assert.Empty(ApprovalSchedule.ReminderOffsets(Options(48, 24)));
    }

    [Theory]
    [InlineData(24, 96, 72, false)] // the estimate would outlive the link sent first
    [InlineData(0, 24, 72, false)]
    [InlineData(24, 0, 72, false)]
    [InlineData(1, 24, 72, false)] // 23 reminders: nagging
    [InlineData(2.4, 24, 72, true)] // 9 reminders
    [InlineData(24, 72, 72, true)]
    public void IsValid(double intervalHours, double expiryHours, double linkLifetimeHours, bool valid)
    {
        Assert.Equal(valid, Options(intervalHours, expiryHours).IsValid(TimeSpan.FromHours(linkLifetimeHours)));
    }

    [Fact]
    public void ExpireEstimate_AwaitingApproval_BackToEstimatedAndRefusesTheDecision()
    {
        var job = WorkshopFixtures.AwaitingApproval(WorkshopFixtures.Clock());
        var at = WorkshopFixtures.Monday.AddDays(3);

        Assert.True(job.ExpireEstimate(1, at));

        Assert.Equal((JobStatus.Estimated, at), (job.Status, job.Estimate!.ExpiredAt));
        Assert.True(job.ExpireEstimate(1, at.AddHours(1)));
        Assert.Equal(at, job.Estimate.ExpiredAt);
        var refused = Assert.Throws<Platform.Http.BusinessRuleException>(() => job.Decide(1, [new LineDecision("labour", true)], at));
        Assert.Equal(ServiceJob.EstimateExpiredRule, refused.Rule);
    }

    [Fact]
    public void ExpireEstimate_DecidedOrRevised_ChangesNothing()
    {
        var decided = WorkshopFixtures.AwaitingApproval(WorkshopFixtures.Clock());
        decided.Decide(1, [.. decided.Estimate!.Lines.Select(l => new LineDecision(l.Id, true))], WorkshopFixtures.Monday);

        Assert.False(decided.ExpireEstimate(1, WorkshopFixtures.Monday.AddDays(3)));
        Assert.Equal(JobStatus.InProgress, decided.Status);
        Assert.Null(decided.Estimate.ExpiredAt);
        Assert.False(decided.ExpireEstimate(2, WorkshopFixtures.Monday.AddDays(3)));
    }
}
