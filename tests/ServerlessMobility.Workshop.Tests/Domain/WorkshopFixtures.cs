using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Workshop.Approval;
using ServerlessMobility.Workshop.Bookings;
using ServerlessMobility.Workshop.Estimates;
using ServerlessMobility.Workshop.Jobs;

namespace ServerlessMobility.Workshop.Tests.Domain;

/// <summary>Test data on a fixed date (a Monday), so every run sees the same days and shifts.</summary>
internal static class WorkshopFixtures
{
    public static readonly DateTimeOffset Monday = new(2099, 1, 5, 9, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Monday);

    public static Technician Technician(string id, params string[] skills) =>
        new(id, "t1", id, skills, [new Shift(DayOfWeek.Tuesday, new TimeOnly(8, 0), new TimeOnly(16, 0))]);

    public static Booking Booking(string id = "bk-1") =>
        new(id, "t1", "owner-1", "WVWZZZ1JZXW000001", "bay-1", "tech-1", "service", Monday.AddDays(1).AddHours(-1), 2, Monday, "staff-1");

    public static IReadOnlyList<EstimateLine> Lines() =>
    [
        new("labour", EstimateLineKind.Labour, "Brake service", 1.5m, 80m),
        new("pads", EstimateLineKind.Part, "Brake pads", 2, 45.50m, "PAD-1", "main"),
        new("wipers", EstimateLineKind.Part, "Wiper blades", 1, 19.99m, "WIP-1", "main"),
    ];

    /// <summary>A job checked in, inspected, estimated and waiting for the owner.</summary>
    public static ServiceJob AwaitingApproval(FakeTimeProvider clock)
    {
        var job = ServiceJob.Open(Booking(), new CheckInRecord(42_000, 60, ["front.jpg"], clock.GetUtcNow(), "staff-1"), "DE", "EUR");
        job.MoveTo(JobStatus.Inspecting, clock.GetUtcNow());
        job.Propose(Lines(), clock.GetUtcNow());
        job.MoveTo(JobStatus.AwaitingApproval, clock.GetUtcNow());
        return job;
    }

    /// <summary>The owner approved labour and pads and declined the wipers.</summary>
    public static IReadOnlyList<LineDecision> WipersDeclined() => [new("labour", true), new("pads", true), new("wipers", false)];
}
