using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Showroom.Inventory;
using ServerlessMobility.Showroom.TestDrives;

namespace ServerlessMobility.Showroom.Tests.TestDrives;

/// <summary>Slots and overlaps, the licence check and the maths of a tracked drive, on the domain types alone.</summary>
public sealed class TestDriveRulesTests
{
    private static readonly DateTimeOffset Monday = new(2099, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly GeoPoint Dealership = new(48.137, 11.575);

    [Theory]
    [InlineData(10, 11, 10, 11, true)]
    [InlineData(10, 11, 10.5, 12, true)]
    [InlineData(10, 12, 10.5, 11, true)]
    [InlineData(10, 11, 11, 12, false)]
    [InlineData(11, 12, 10, 11, false)]
    [InlineData(10, 11, 12, 13, false)]
    public void Overlap_IsHalfOpen_BackToBackIsFree(double aStart, double aEnd, double bStart, double bEnd, bool overlaps) =>
        Assert.Equal(overlaps, TestDriveRules.Overlaps(Monday.Date.AddHours(aStart), Monday.Date.AddHours(aEnd), Monday.Date.AddHours(bStart), Monday.Date.AddHours(bEnd)));

    [Theory]
    [InlineData(60, 30, null)]
    [InlineData(60, 120, null)]
    [InlineData(-60, 30, "start")]
    [InlineData(0, 30, "start")]
    [InlineData(67, 30, "start")]
    [InlineData(60 * 24 * 61, 30, "start")]
    [InlineData(60, 10, "durationMinutes")]
    [InlineData(60, 135, "durationMinutes")]
    [InlineData(60, 40, "durationMinutes")]
    [InlineData(14 * 60, 120, "durationMinutes")]
    [InlineData(14 * 60, 60, null)]
    public void Slot_OnTheGrid_InTheFuture_WithinTheLimits_OnOneDay(int minutesFromNow, int duration, string? badField)
    {
        var errors = TestDriveRules.CheckSlot(Monday.AddMinutes(minutesFromNow), duration, Monday, new TestDriveOptions());
        if (badField is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Equal(badField, Assert.Single(errors).Key);
        }
    }

    [Fact]
    public void Licence_ExpiredBeforeTheDrive_IsRefused_OnTheDayItExpiresIsValid()
    {
        var day = new DateOnly(2099, 1, 5);
        var expired = TestDriveRules.RefusalOf(new DateOnly(2099, 1, 4), ["B"], new DateOnly(1980, 1, 1), day, 21);
        Assert.NotNull(expired);
        Assert.Contains("expired on 2099-01-04", expired, StringComparison.Ordinal);
        Assert.Null(TestDriveRules.RefusalOf(day, ["b", "A2"], new DateOnly(1980, 1, 1), day, 21));
    }

    [Fact]
    public void Licence_WithoutCategoryB_OrTooYoung_IsRefused()
    {
        var day = new DateOnly(2099, 1, 5);
        Assert.Contains("category B", TestDriveRules.RefusalOf(new DateOnly(2100, 1, 1), ["A", "BE1"], new DateOnly(1980, 1, 1), day, 21), StringComparison.Ordinal);
        Assert.Contains("21 years", TestDriveRules.RefusalOf(new DateOnly(2100, 1, 1), ["B"], new DateOnly(2078, 1, 6), day, 21), StringComparison.Ordinal);
        Assert.Null(TestDriveRules.RefusalOf(new DateOnly(2100, 1, 1), ["B"], new DateOnly(2078, 1, 5), day, 21));
    }

    [Theory]
    [InlineData(2000, 2, 29, 2021, 2, 28, 20)]
    [InlineData(2000, 2, 29, 2021, 3, 1, 21)]
    [InlineData(1980, 6, 15, 2099, 6, 14, 118)]
    [InlineData(1980, 6, 15, 2099, 6, 15, 119)]
    public void Age_CountsWholeYears(int by, int bm, int bd, int y, int m, int d, int age) =>
        Assert.Equal(age, TestDriveRules.AgeOn(new DateOnly(by, bm, bd), new DateOnly(y, m, d)));

    [Fact]
    public void LicenceNumber_IsNormalizedAndMasked_AndItsFormatChecked()
    {
        var normalized = TestDriveRules.NormalizeLicenceNumber("b072rrE2345");
        Assert.Equal("B072RRE2345", normalized);
        Assert.Equal("********345", TestDriveRules.MaskLicenceNumber(normalized));
        Assert.Empty(TestDriveRules.CheckLicenceFormat("B072RRE2345", "DE", ["B"]));
        Assert.Equal(["categories", "country", "number"], TestDriveRules.CheckLicenceFormat("B072 RRE-2345", "Germany", []).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Track_Summary_MeasuresTheRoute_AndCountsEachExitOnce()
    {
        var start = Monday.AddHours(1);
        TrackPoint At(int minute, double lat, double speed) => new(start.AddMinutes(minute), lat, Dealership.Lon, speed);

        // North out of the 5 km zone (0.09° of latitude is about 10 km), back in, out again; one reading delivered twice, out of order.
        var summary = TestDriveRules.Summarize(
            [At(0, 48.137, 0), At(2, 48.157, 60), At(4, 48.227, 100), At(2, 48.157, 60), At(6, 48.147, 50), At(8, 48.237, 120), At(10, 48.240, 30)], Dealership, 5000);

        Assert.Equal(6, summary.Positions);
        Assert.Equal(120, summary.MaxSpeedKmh);
        Assert.Equal(60, summary.AverageSpeedKmh);
        Assert.True(summary.OutsideGeofence);
        Assert.Equal([start.AddMinutes(4), start.AddMinutes(8)], summary.GeofenceExits.Select(e => e.At));
        Assert.InRange(summary.GeofenceExits[0].MetersFromDealership, 9_900, 10_100);

        // Legs of 2.2, 7.8, 8.9, 10.0 and 0.3 km: about 29.2 km in all (the duplicate adds nothing).
        Assert.InRange(summary.DistanceKm, 28.8, 29.6);
        Assert.Equal(start.AddMinutes(10), summary.Last!.At);
    }

    [Fact]
    public void Track_OfNoPositions_IsEmpty_AndInside()
    {
        var summary = TestDriveRules.Summarize([], Dealership, 5000);
        Assert.Equal(0, summary.Positions);
        Assert.False(summary.OutsideGeofence);
        Assert.Null(summary.Last);
        Assert.Empty(summary.GeofenceExits);
    }

    [Fact]
    public void Drive_RecordsOnlyWhileStarted_FromItsStart_EachReadingOnce()
    {
        var drive = Drive();
        var reading = new TrackPoint(Monday.AddHours(1).AddMinutes(1), 48.14, 11.58, 42);
        Assert.False(drive.Record([reading]));

        drive.Status = TestDriveStatus.Started;
        drive.StartedAt = Monday.AddHours(1);
        Assert.False(drive.Record([reading with { At = Monday.AddMinutes(59) }]));
        Assert.True(drive.Record([reading]));
        Assert.False(drive.Record([reading, reading]));
        Assert.Single(drive.Track);

        drive.Status = TestDriveStatus.Finished;
        Assert.False(drive.Record([reading with { At = reading.At.AddMinutes(1) }]));
    }

    [Fact]
    public void Drive_StartsOnlyWithAPassedLicence_AndASignedWaiver()
    {
        var drive = Drive();
        Assert.Contains("licence", drive.StartRefusal(), StringComparison.Ordinal);
        drive.Licence = new LicenceCheck("****345", "DE", new DateOnly(2030, 1, 1), ["B"], false, "expired", 21, Monday, "sam");
        Assert.Contains("licence", drive.StartRefusal(), StringComparison.Ordinal);
        drive.Licence = drive.Licence with { Passed = true, Refusal = null };
        Assert.Contains("waiver", drive.StartRefusal(), StringComparison.Ordinal);
        drive.Waiver = new WaiverSignature("Ada", WaiverTexts.Current, WaiverTexts.Sha256Of(WaiverTexts.TextOf(WaiverTexts.Current)!), Monday, "sam");
        Assert.Null(drive.StartRefusal());
    }

    [Fact]
    public void DayBook_RefusesTheSameCarOrSalespersonInAnOverlappingSlot_TakesTheSameDriveOnce()
    {
        var book = new TestDriveDayBook { Id = "day-20990105", TenantId = "t" };
        var ten = Monday.AddHours(1);
        Assert.True(book.Add(new TestDriveBooking("td-1", "VIN1", "sam", ten, ten.AddHours(1))));
        Assert.False(book.Add(new TestDriveBooking("td-1", "VIN1", "sam", ten, ten.AddHours(1))));

        var car = Assert.Throws<ConflictException>(() => book.Add(new TestDriveBooking("td-2", "VIN1", "tess", ten.AddMinutes(45), ten.AddHours(2))));
        Assert.Contains("VIN1", car.Message, StringComparison.Ordinal);
        var person = Assert.Throws<ConflictException>(() => book.Add(new TestDriveBooking("td-3", "VIN2", "sam", ten.AddMinutes(-30), ten.AddMinutes(15))));
        Assert.Contains("sam", person.Message, StringComparison.Ordinal);

        Assert.True(book.Add(new TestDriveBooking("td-4", "VIN1", "sam", ten.AddHours(1), ten.AddHours(2))));
        Assert.True(book.Add(new TestDriveBooking("td-5", "VIN2", "tess", ten, ten.AddHours(1))));
        Assert.Equal(3, book.Bookings.Count);
    }

    [Theory]
    [InlineData(TestDriveStatus.Booked, true)]
    [InlineData(TestDriveStatus.Started, false)]
    [InlineData(TestDriveStatus.Finished, false)]
    [InlineData(TestDriveStatus.Cancelled, false)]
    public void OnlyABookedDrive_IsCancelledOrMoved(TestDriveStatus status, bool allowed)
    {
        var refusal = TestDriveRules.ChangeRefusal(status, "moved");
        Assert.Equal(allowed, refusal is null);
        if (!allowed)
        {
            Assert.Contains(status.ToString(), refusal, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void StaleClaim_IsOneItsDriveDoesNotBack_OnceTheGraceHasPassed()
    {
        var clock = new FakeTimeProvider(Monday);
        var grace = TimeSpan.FromMinutes(5);
        var drive = Drive();
        var claim = drive.Claim() with { ClaimedAt = clock.GetUtcNow() };

        // Within the grace a claim is live whatever its drive: the booking that made it may still be creating the drive.
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.False(TestDriveRules.IsStaleClaim(claim, null, clock.GetUtcNow(), grace));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(TestDriveRules.IsStaleClaim(claim, null, clock.GetUtcNow(), grace));

        // A drive in the claimed slot backs it however old; cancelled or moved elsewhere it does not.
        clock.Advance(TimeSpan.FromDays(1));
        var now = clock.GetUtcNow();
        Assert.False(TestDriveRules.IsStaleClaim(claim, drive, now, grace));
        drive.Status = TestDriveStatus.Started;
        Assert.False(TestDriveRules.IsStaleClaim(claim, drive, now, grace));
        drive.Status = TestDriveStatus.Booked;
        drive.Start = drive.Start.AddHours(2);
        drive.End = drive.End.AddHours(2);
        Assert.True(TestDriveRules.IsStaleClaim(claim, drive, now, grace));
        Assert.False(TestDriveRules.IsStaleClaim(drive.Claim() with { ClaimedAt = now }, drive, now, grace));
        var cancelled = Drive();
        cancelled.Status = TestDriveStatus.Cancelled;
        Assert.True(TestDriveRules.IsStaleClaim(claim, cancelled, now, grace));

        // A claim stored before claims kept their time counts as old.
        Assert.True(TestDriveRules.IsStaleClaim(claim with { ClaimedAt = null }, null, Monday, grace));
        Assert.False(TestDriveRules.IsStaleClaim(claim with { ClaimedAt = null }, Drive(), Monday, grace));
    }

    [Fact]
    public void DayBook_ADriveDoesNotBlockItself_SoAMoveWithinTheDayClaimsBesideItsOldSlot()
    {
        var book = new TestDriveDayBook { Id = "day-20990105", TenantId = "t" };
        var ten = Monday.AddHours(1);
        var old = new TestDriveBooking("td-1", "VIN1", "sam", ten, ten.AddHours(1), Monday);
        Assert.True(book.Add(old));
        var moved = new TestDriveBooking("td-1", "VIN1", "sam", ten.AddMinutes(30), ten.AddMinutes(90), Monday);
        Assert.Empty(book.Holders(moved));
        Assert.True(book.Add(moved));
        Assert.False(book.Add(moved with { ClaimedAt = Monday.AddMinutes(1) }));
        Assert.Single(book.Holders(new TestDriveBooking("td-2", "VIN2", "sam", ten.AddMinutes(75), ten.AddMinutes(120))));

        // Only the exact claim judged stale is removed, not a newer claim of the same slot.
        Assert.False(book.RemoveExactly([old with { ClaimedAt = Monday.AddMinutes(-1) }]));
        Assert.True(book.RemoveExactly([old]));
        Assert.Equal([moved], book.Bookings);
    }

    private static TestDrive Drive() => new()
    {
        Id = "td-1", TenantId = "t", Vin = "WSMSR000000000001", SalespersonId = "sam", CustomerName = "Ada", Start = Monday.AddHours(1), End = Monday.AddHours(2),
        Status = TestDriveStatus.Booked, Dealership = Dealership, GeofenceRadiusMeters = 5000, BookedAt = Monday, BookedBy = "sam",
    };
}
