using ServerlessMobility.Platform.Http;
using ServerlessMobility.Workshop.Bookings;

namespace ServerlessMobility.Workshop.Tests.Domain;

public class SlotGridTests
{
    private static readonly DateTimeOffset TuesdayEight = WorkshopFixtures.Monday.AddDays(1).AddHours(-1);

    [Fact]
    public void Slots_TwoHoursOnTheHour_TwoConsecutiveSlots()
    {
        var slots = SlotGrid.Slots(TuesdayEight, 2);

        Assert.Equal([TuesdayEight, TuesdayEight.AddHours(1)], slots);
        Assert.Equal("bay.bay-1.20990106T0900", SlotGrid.BayClaimId("bay-1", slots[1]));
    }

    [Fact]
    public void Slots_OffTheHour_Invalid()
    {
        var error = Assert.Throws<RequestValidationException>(() => SlotGrid.Slots(TuesdayEight.AddMinutes(30), 1));

        Assert.Contains("start", error.Errors.Keys);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void Slots_HoursOutOfRange_Invalid(int hours)
    {
        Assert.Throws<RequestValidationException>(() => SlotGrid.Slots(TuesdayEight, hours));
    }

    [Fact]
    public void AvailableTechnicians_SkillShiftAndBusy_OnlyTheFreeCapableOneOnShift()
    {
        var technicians = new[]
        {
            WorkshopFixtures.Technician("generalist", "service", "brakes", "tyres"),
            WorkshopFixtures.Technician("brakes-only", "brakes"),
            WorkshopFixtures.Technician("busy", "brakes"),
            WorkshopFixtures.Technician("no-skill", "tyres"),
        };

        var available = SlotCapacity.AvailableTechnicians(technicians, "BRAKES", TuesdayEight, 2, new HashSet<string>(["busy"]));

        // The specialist first: the generalist stays free for work only they can do.
        Assert.Equal(["brakes-only", "generalist"], available.Select(t => t.Id));
    }

    [Fact]
    public void AvailableTechnicians_BookingRunsPastTheShift_Nobody()
    {
        var technicians = new[] { WorkshopFixtures.Technician("t", "service") };

        Assert.Empty(SlotCapacity.AvailableTechnicians(technicians, "service", TuesdayEight.AddHours(7), 2, new HashSet<string>()));
        Assert.Single(SlotCapacity.AvailableTechnicians(technicians, "service", TuesdayEight.AddHours(6), 2, new HashSet<string>()));
    }

    [Fact]
    public void Shift_EndOfDay_CoversABookingUntilMidnight()
    {
        var lateShift = new Shift(DayOfWeek.Tuesday, new TimeOnly(20, 0), TimeOnly.MaxValue);

        Assert.True(lateShift.Covers(TuesdayEight.AddHours(15), TuesdayEight.AddHours(16)));
        Assert.False(lateShift.Covers(TuesdayEight.AddHours(15), TuesdayEight.AddHours(17)));
    }
}
