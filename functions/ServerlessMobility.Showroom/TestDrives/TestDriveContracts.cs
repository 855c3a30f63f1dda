using System.ComponentModel.DataAnnotations;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Showroom.Inventory;

namespace ServerlessMobility.Showroom.TestDrives;

/// <param name="Vin">A car of the dealership's stock, Available or Demo.</param>
/// <param name="SalespersonId">An active salesperson of the roster, who rides along.</param>
/// <param name="LeadId">Optional: the lead the drive is for; it gets the activity, moves to TestDrive and the salesperson the points.</param>
/// <param name="Start">On the slot grid (Showroom:TestDrives:SlotMinutes), in the future, at most MaxDaysAhead days ahead.</param>
/// <param name="DurationMinutes">MinDurationMinutes to MaxDurationMinutes, whole slots, ending the day it starts (UTC).</param>
public sealed record BookTestDriveRequest(
    [property: RegularExpression(VinFormat.Pattern)] string Vin,
    [property: StringLength(TestDrivesEndpoints.MaxIdLength), RegularExpression(InputFormats.ClientId)] string SalespersonId,
    [property: StringLength(TestDrivesEndpoints.MaxNameLength, MinimumLength = 1), RegularExpression(InputFormats.Text)] string CustomerName,
    DateTimeOffset Start,
    [property: Range(1, 24 * 60)] int DurationMinutes,
    [property: StringLength(TestDrivesEndpoints.MaxIdLength), RegularExpression(InputFormats.ClientId)] string? LeadId = null);

/// <param name="Reason">Optional: why (the customer called off, the car is not ready...); kept with the drive.</param>
public sealed record CancelTestDriveRequest(
    [property: StringLength(TestDriveChangesEndpoints.MaxReasonLength, MinimumLength = 1), RegularExpression(InputFormats.Text)] string? Reason = null);

/// <summary>The booking's fields that a move may change; those left out stay as booked.</summary>
/// <param name="Start">The new start: on the slot grid, in the future, at most MaxDaysAhead days ahead (as for a booking).</param>
/// <param name="DurationMinutes">Optional: the new duration (the booked one when left out).</param>
/// <param name="SalespersonId">Optional: another active salesperson of the roster.</param>
/// <param name="Vin">Optional: another car of the stock, Available or Demo.</param>
public sealed record RescheduleTestDriveRequest(
    DateTimeOffset Start,
    [property: Range(1, 24 * 60)] int? DurationMinutes = null,
    [property: StringLength(TestDrivesEndpoints.MaxIdLength), RegularExpression(InputFormats.ClientId)] string? SalespersonId = null,
    [property: RegularExpression(VinFormat.Pattern)] string? Vin = null);

/// <summary>The driver's licence as shown at the desk; only the masked number and the result are kept, never the number or the date of birth.</summary>
/// <param name="Number">5 to 20 letters and digits, as printed without spaces or dashes.</param>
/// <param name="Country">ISO 3166-1 alpha-2 code of the issuing country.</param>
/// <param name="Categories">The categories on the licence; B (cars) is required.</param>
public sealed record LicenceCheckRequest(
    [property: RegularExpression(TestDriveRules.LicenceNumberFormat)] string Number,
    [property: RegularExpression("^[A-Z]{2}$")] string Country,
    DateOnly ExpiresOn,
    [property: MinLength(1), MaxLength(20)] IReadOnlyList<string> Categories,
    DateOnly DateOfBirth);

/// <param name="SignedName">The customer's name as typed by the customer.</param>
/// <param name="TextVersion">The waiver text version shown and accepted (the drive's <c>waiverToSign</c>).</param>
public sealed record SignWaiverRequest(
    [property: StringLength(TestDrivesEndpoints.MaxNameLength, MinimumLength = 1), RegularExpression(InputFormats.Text)] string SignedName,
    [property: StringLength(20, MinimumLength = 1), RegularExpression(InputFormats.ClientId)] string TextVersion);

/// <param name="Rating">1 (poor) to 5 (excellent).</param>
public sealed record TestDriveFeedbackRequest(
    [property: Range(1, 5)] int Rating,
    InterestLevel Interest,
    [property: StringLength(TestDrivesEndpoints.MaxCommentLength), RegularExpression(InputFormats.Text)] string? Comments = null);

/// <summary>The waiver text to show the customer, and its version to send back when signing.</summary>
public sealed record WaiverText(string Version, string Text, string Sha256);

public sealed record TestDriveView(
    string Id, string Vin, string SalespersonId, string? LeadId, string CustomerName, DateTimeOffset Start, DateTimeOffset End, TestDriveStatus Status,
    DateTimeOffset BookedAt, string BookedBy, LicenceCheck? Licence, WaiverSignature? Waiver, WaiverText? WaiverToSign, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, int Positions, double DistanceKm, double MaxSpeedKmh, double AverageSpeedKmh, int GeofenceExits, TestDriveFeedback? Feedback,
    DateTimeOffset? CancelledAt, string? CancellationReason, DateTimeOffset? RescheduledAt)
{
    public static TestDriveView Of(TestDrive drive)
    {
        ArgumentNullException.ThrowIfNull(drive);
        var summary = drive.Summary();
        var toSign = drive.Waiver is null && drive.Status == TestDriveStatus.Booked && WaiverTexts.TextOf(WaiverTexts.Current) is { } text ? new WaiverText(WaiverTexts.Current, text, WaiverTexts.Sha256Of(text)) : null;
        return new(drive.Id, drive.Vin, drive.SalespersonId, drive.LeadId, drive.CustomerName, drive.Start, drive.End, drive.Status, drive.BookedAt, drive.BookedBy,
            drive.Licence, drive.Waiver, toSign, drive.StartedAt, drive.FinishedAt, summary.Positions, summary.DistanceKm, summary.MaxSpeedKmh, summary.AverageSpeedKmh,
            summary.GeofenceExits.Count, drive.Feedback, drive.CancelledAt, drive.CancellationReason, drive.RescheduledAt);
    }
}

/// <summary>Something staff should look at during the drive (the car left the zone around the dealership).</summary>
public sealed record TestDriveAlert(DateTimeOffset At, string Kind, string Message);

/// <summary>The live track: positions so far (oldest first), the current speed while the drive runs, the zone and its exits.</summary>
public sealed record TestDriveTrackView(
    string DriveId, string Vin, TestDriveStatus Status, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, GeoPoint Dealership, double GeofenceRadiusMeters,
    IReadOnlyList<TrackPoint> Positions, double? CurrentSpeedKmh, TrackPoint? LastPosition, double DistanceKm, double MaxSpeedKmh, double AverageSpeedKmh,
    bool OutsideGeofence, IReadOnlyList<GeofenceExit> GeofenceExits, IReadOnlyList<TestDriveAlert> Alerts);
