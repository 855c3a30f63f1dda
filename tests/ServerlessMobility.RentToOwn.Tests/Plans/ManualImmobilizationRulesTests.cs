using ServerlessMobility.Platform.Http;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Plans;

namespace ServerlessMobility.RentToOwn.Tests.Plans;

public class ManualImmobilizationRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(2);

    private static string? Decide(PlanStatus status = PlanStatus.Defaulted, bool allows = true, double? speed = 0, TimeSpan? age = null) =>
        ManualImmobilizationRules.RefusalFor(status, allows, speed is { } s ? new VehicleMotion(s, Now - (age ?? TimeSpan.FromSeconds(5))) : null, Now, MaxAge)?.Rule;

    [Fact]
    public void Defaulted_Allowed_FreshReadingStanding_NoRefusal() => Assert.Null(Decide());

    [Fact]
    public void ReadingExactlyAtTheLimit_StillFresh() => Assert.Null(Decide(age: MaxAge));

    [Theory]
    [InlineData(PlanStatus.Active)]
    [InlineData(PlanStatus.OwnershipTransferred)]
    public void PlanNotDefaulted_Refused(PlanStatus status) => Assert.Equal(ManualImmobilizationRules.NotDefaulted, Decide(status));

    [Fact]
    public void ContractForbids_Refused() => Assert.Equal(ManualImmobilizationRules.ContractForbids, Decide(allows: false));

    [Fact]
    public void NoReading_Refused() => Assert.Equal(ManualImmobilizationRules.NoReading, Decide(speed: null));

    [Theory]
    [InlineData(121)]
    [InlineData(-121)]
    public void ReadingOlderThanTheLimitOrFromTheFuture_Refused(int seconds) =>
        Assert.Equal(ManualImmobilizationRules.StaleReading, Decide(age: TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(0.5)]
    [InlineData(60)]
    public void Moving_Refused(double speed) => Assert.Equal(ManualImmobilizationRules.Moving, Decide(speed: speed));

    [Fact]
    public void StaleReadingOfAMovingVehicle_RefusedAsStale() =>
        Assert.Equal(ManualImmobilizationRules.StaleReading, Decide(speed: 50, age: TimeSpan.FromHours(1)));

    [Fact]
    public void RecordImmobilization_KeepsTheOpenOne_ReleaseClosesIt_ThenANewDefaultMayRecordAgain()
    {
        var plan = new PlanBuilder().With(t => t with { AllowsImmobilization = true }).Build();
        plan.MarkDefaulted(plan.Schedule[0].DueDate.AddDays(8));
        var first = new PlanImmobilization("ops-1", Now, "Customer unreachable.", ManualImmobilizationRules.CommandIdFor(plan));

        Assert.Same(first, plan.RecordImmobilization(first));
        Assert.Same(first, plan.RecordImmobilization(first with { By = "ops-2" }));
        Assert.True(plan.IsImmobilizedByOperator);

        Assert.True(plan.ReleaseImmobilization(Now.AddHours(1)));
        Assert.False(plan.IsImmobilizedByOperator);
        Assert.Equal(Now.AddHours(1), plan.Immobilization!.ReleasedAt);
        Assert.False(plan.ReleaseImmobilization(Now.AddHours(2)));

        var second = first with { By = "ops-2", At = Now.AddDays(1) };
        Assert.Same(second, plan.RecordImmobilization(second));
    }

    [Fact]
    public void RecordImmobilization_PlanNoLongerDefaultedOrContractForbids_Refused()
    {
        var current = new PlanBuilder().With(t => t with { AllowsImmobilization = true }).Build();
        var forbidden = new PlanBuilder().With(t => t with { AllowsImmobilization = false }).Build();
        forbidden.MarkDefaulted(forbidden.Schedule[0].DueDate.AddDays(8));
        var record = new PlanImmobilization("ops-1", Now, "Customer unreachable.", "cmd");

        Assert.Equal(ManualImmobilizationRules.NotDefaulted, Assert.Throws<BusinessRuleException>(() => current.RecordImmobilization(record)).Rule);
        Assert.Equal(ManualImmobilizationRules.ContractForbids, Assert.Throws<BusinessRuleException>(() => forbidden.RecordImmobilization(record)).Rule);
        Assert.Null(current.Immobilization);
        Assert.Null(forbidden.Immobilization);
    }

    [Fact]
    public void WithdrawImmobilization_OnlyTheOneWhoseCommandFailed()
    {
        var plan = new PlanBuilder().With(t => t with { AllowsImmobilization = true }).Build();
        plan.MarkDefaulted(plan.Schedule[0].DueDate.AddDays(8));
        plan.RecordImmobilization(new PlanImmobilization("ops-1", Now, "Customer unreachable.", "cmd-1"));

        plan.WithdrawImmobilization("cmd-other");
        Assert.True(plan.IsImmobilizedByOperator);
        plan.WithdrawImmobilization("cmd-1");
        Assert.Null(plan.Immobilization);
    }
}
