using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Workshop.Bookings;
using ServerlessMobility.Workshop.Maintenance;

namespace ServerlessMobility.Workshop.Tests.Domain;

public class MaintenanceAssessmentTests
{
    private static readonly DateTimeOffset Now = WorkshopFixtures.Monday;

    private static readonly MaintenanceOptions Options = new();

    [Fact]
    public void Assess_IntervalPassedBeforeTheLastService_NotDue()
    {
        var service = new CompletedService("job-1", Now.AddDays(-10), 30_000);
        var need = MaintenanceAssessment.Assess(service, [new ServiceDue(Now.AddDays(-20), "Odometer passed 30000 km.")], [], Now, Options);

        Assert.False(need.IsDue);
        Assert.Empty(need.Reasons);
    }

    [Fact]
    public void Assess_IntervalPassedAfterTheLastService_DueForARoutineService()
    {
        var service = new CompletedService("job-1", Now.AddDays(-100), 30_000);
        var need = MaintenanceAssessment.Assess(service, [new ServiceDue(Now.AddDays(-3), "Odometer 45012 km passed the 45000 km maintenance interval.")], [], Now, Options);

        var reason = Assert.Single(need.Reasons);
        Assert.Equal(MaintenanceReasonKind.Distance, reason.Kind);
        Assert.Equal(Now.AddDays(-3), reason.Since);
        Assert.Equal("service", need.Skill);
        Assert.Equal(2, need.Hours);
    }

    [Fact]
    public void Assess_LastServiceOlderThanTheInterval_DueByTime()
    {
        var service = new CompletedService("job-1", Now.AddDays(-400), 30_000);
        var need = MaintenanceAssessment.Assess(service, [], [], Now, Options);

        var reason = Assert.Single(need.Reasons);
        Assert.Equal(MaintenanceReasonKind.Time, reason.Kind);
        Assert.Equal(service.CompletedAt.AddDays(365), reason.Since);
        Assert.Contains("job-1", reason.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_NoServiceOnRecord_TimeIsUnknownNotDue()
    {
        Assert.False(MaintenanceAssessment.Assess(null, [], [], Now, Options).IsDue);
    }

    [Fact]
    public void Assess_FaultCodeReportedOnEveryReading_OneReasonAndDiagnostics()
    {
        var need = MaintenanceAssessment.Assess(null, [],
            [new FaultCode(Now.AddHours(-5), "P0301", "Cylinder 1 misfire"), new FaultCode(Now.AddHours(-4), "P0301", "Cylinder 1 misfire"), new FaultCode(Now.AddHours(-1), "P0420", "Catalyst")],
            Now, Options);

        Assert.Equal(["P0301: Cylinder 1 misfire", "P0420: Catalyst"], need.Reasons.Select(r => r.Detail));
        Assert.Equal(Now.AddHours(-5), need.Reasons[0].Since);
        Assert.Equal("diagnostics", need.Skill);
    }

    [Fact]
    public void FirstFreeSlot_StartsOnTheGridAtTheFirstShiftHour()
    {
        var proposal = MaintenanceAssessment.FirstFreeSlot([Bay("bay-1")], [WorkshopFixtures.Technician("tech-1", "service")], [], "service", 2,
            Now.AddMinutes(17), Now.AddDays(14));

        Assert.Equal(new ProposedBooking("bay-1", "tech-1", "service", Tuesday(8), 2), proposal);
    }

    [Fact]
    public void FirstFreeSlot_BayTakenAtEight_AnotherBayOrALaterHour()
    {
        var taken = WorkshopFixtures.Booking() with { BayId = "bay-1", TechnicianId = "tech-9", Start = Tuesday(8), Hours = 2 };
        var technicians = new[] { WorkshopFixtures.Technician("tech-1", "service") };

        Assert.Equal(new ProposedBooking("bay-2", "tech-1", "service", Tuesday(8), 2),
            MaintenanceAssessment.FirstFreeSlot([Bay("bay-1"), Bay("bay-2")], technicians, [taken], "service", 2, Now, Now.AddDays(14)));
        Assert.Equal(new ProposedBooking("bay-1", "tech-1", "service", Tuesday(10), 2),
            MaintenanceAssessment.FirstFreeSlot([Bay("bay-1")], technicians, [taken], "service", 2, Now, Now.AddDays(14)));
    }

    [Fact]
    public void FirstFreeSlot_TechnicianBusyAllShift_NextWeek()
    {
        var busy = WorkshopFixtures.Booking() with { BayId = "bay-9", TechnicianId = "tech-1", Start = Tuesday(8), Hours = 8 };

        var proposal = MaintenanceAssessment.FirstFreeSlot([Bay("bay-1")], [WorkshopFixtures.Technician("tech-1", "service")], [busy], "service", 2, Now, Now.AddDays(14));

        Assert.Equal(Tuesday(8).AddDays(7), proposal?.Start);
    }

    [Fact]
    public void FirstFreeSlot_NobodyWithTheSkill_None()
    {
        Assert.Null(MaintenanceAssessment.FirstFreeSlot([Bay("bay-1")], [WorkshopFixtures.Technician("tech-1", "brakes")], [], "diagnostics", 2, Now, Now.AddDays(14)));
    }

    private static Bay Bay(string id) => new(id, "t1", id, "main");

    private static DateTimeOffset Tuesday(int hour) => new(2099, 1, 6, hour, 0, 0, TimeSpan.Zero);
}
