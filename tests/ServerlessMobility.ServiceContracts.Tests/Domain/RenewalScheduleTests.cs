using ServerlessMobility.ServiceContracts.Payments;
using ServerlessMobility.ServiceContracts.Renewal;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Tests.Domain;

public class RenewalScheduleTests
{
    private static readonly ContractRenewalOptions Options = new() { ReminderLead = TimeSpan.FromDays(30), AutoRenewLead = TimeSpan.FromDays(7) };

    private static readonly DateTimeOffset EndsAt = ContractBuilder.SoldAt.AddMonths(24);

    [Fact]
    public void Next_BeforeTheReminder_WaitsForIt_ThenRemindsOncePerTerm()
    {
        var contract = ContractBuilder.Sold("DE");

        Assert.Equal(EndsAt.AddDays(-30), Assert.IsType<RenewalStep.WaitUntil>(RenewalSchedule.Next(contract, ContractBuilder.SoldAt, Options)).At);
        Assert.IsType<RenewalStep.Remind>(RenewalSchedule.Next(contract, EndsAt.AddDays(-30), Options));

        var reminded = contract with { RenewalRemindersSent = [EndsAt] };
        Assert.Equal(EndsAt, Assert.IsType<RenewalStep.WaitUntil>(RenewalSchedule.Next(reminded, EndsAt.AddDays(-10), Options)).At);
        Assert.IsType<RenewalStep.Finished>(RenewalSchedule.Next(reminded, EndsAt, Options));
    }

    [Fact]
    public void Next_ConsentRecorded_RenewsAutomaticallySevenDaysBeforeTheEnd_NotWhileSuspended()
    {
        var consented = ContractBuilder.Sold("GB") with
        {
            RenewalRemindersSent = [EndsAt],
            RenewalConsent = new RenewalConsent(true, ContractBuilder.SoldAt.AddDays(3), "127.0.0.1"),
        };
        var suspended = consented with { Suspension = new CoverageSuspension(EndsAt.AddDays(-20), 24, EndsAt.AddDays(-6)) };

        Assert.Equal(EndsAt.AddDays(-7), Assert.IsType<RenewalStep.WaitUntil>(RenewalSchedule.Next(consented, EndsAt.AddDays(-20), Options)).At);
        Assert.IsType<RenewalStep.AutoRenew>(RenewalSchedule.Next(consented, EndsAt.AddDays(-7), Options));
        Assert.Equal(EndsAt, Assert.IsType<RenewalStep.WaitUntil>(RenewalSchedule.Next(suspended, EndsAt.AddDays(-7), Options)).At);
        Assert.IsType<RenewalStep.Finished>(RenewalSchedule.Next(consented with { Status = ContractStatus.Cancelled }, EndsAt.AddDays(-7), Options));
    }

    [Fact]
    public void Options_AutoRenewMustComeAfterTheReminderInsideTheWindow()
    {
        Assert.True(Options.IsValid());
        Assert.False((Options with { AutoRenewLead = TimeSpan.FromDays(40) }).IsValid());
        Assert.False((Options with { ReminderLead = TimeSpan.FromDays(90) }).IsValid());
    }
}
