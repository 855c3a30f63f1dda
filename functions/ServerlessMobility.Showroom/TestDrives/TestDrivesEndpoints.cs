using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Showroom.Inventory;
using ServerlessMobility.Showroom.Leaderboards;
using ServerlessMobility.Showroom.Leads;

namespace ServerlessMobility.Showroom.TestDrives;

/// <summary>
/// Test drives of the dealership's cars: booking against the car's and the salesperson's availability (a day book written
/// under its ETag, <see cref="TestDriveScheduling"/>), the licence check, the signed waiver, start and finish with the car
/// tracked through telemetry in between (<see cref="TestDriveTelemetryObserver"/>), the live track and the feedback.
/// </summary>
public static class TestDrivesEndpoints
{
    public const int MaxIdLength = 64;
    public const int MaxNameLength = 100;
    public const int MaxCommentLength = 1000;

    public static async Task<Created<TestDriveView>> BookAsync(BookTestDriveRequest request, HttpContext http, [FromServices] ITenantRepository<TestDrive> drives,
        [FromServices] ITenantRepository<InventoryVehicle> inventory, [FromServices] ITenantRepository<Salesperson> salespeople, [FromServices] ITenantRepository<Lead> leads,
        [FromServices] TestDriveScheduling scheduling, [FromServices] SalesPoints points, [FromServices] IOptions<TestDriveOptions> options, [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(drives);
        ArgumentNullException.ThrowIfNull(salespeople);
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(scheduling);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var rules = options.Value;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var vin = request.Vin?.Trim().ToUpperInvariant();
        CheckDriveFields(errors, vin, request.SalespersonId, request.DurationMinutes, required: true);
        if (request.LeadId is not null && !InputFormats.IsClientId(request.LeadId, MaxIdLength))
        {
            errors["leadId"] = [$"An id of letters, digits, '-' or '_' (at most {MaxIdLength})."];
        }

        if (!InputFormats.IsText(request.CustomerName, MaxNameLength))
        {
            errors["customerName"] = [$"Required: at most {MaxNameLength} characters, not blank."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        // Well formed, but the slot must be one the dealership books (422).
        var now = time.GetUtcNow();
        CheckSlotOrThrow(request.Start, request.DurationMinutes, now, rules);
        var user = CurrentUser.FromPrincipal(http.User);
        var car = await LoadDrivableCarAsync(vin!, user, inventory, cancellationToken);
        var salesperson = await LoadActiveSalespersonAsync(user, request.SalespersonId, salespeople, cancellationToken);

        if (request.LeadId is not null)
        {
            var lead = (await LeadsEndpoints.LoadAsync(request.LeadId, user, leads, cancellationToken)).Value;
            if (!lead.Open)
            {
                throw new ConflictException($"The lead is {lead.Stage}; a closed lead gets no test drive.");
            }
        }

        var start = request.Start.ToUniversalTime();
        var drive = new TestDrive
        {
            Id = string.Create(CultureInfo.InvariantCulture, $"td-{Guid.NewGuid():N}")[..19],
            TenantId = user.TenantId,
            Vin = car.Vin,
            SalespersonId = salesperson.Id,
            LeadId = request.LeadId,
            CustomerName = request.CustomerName.Trim(),
            Start = start,
            End = start.AddMinutes(request.DurationMinutes),
            Status = TestDriveStatus.Booked,
            Dealership = car.Specs.Location,
            GeofenceRadiusMeters = rules.GeofenceRadiusMeters,
            BookedAt = now,
            BookedBy = user.Subject,
        };

        // The claim is the race: of two bookings of one slot only one adds itself to the day book.
        var booking = new TestDriveBooking(drive.Id, drive.Vin, drive.SalespersonId, drive.Start, drive.End);
        await scheduling.ClaimAsync(user.TenantId, booking, cancellationToken);
        Versioned<TestDrive> stored;
        try
        {
            stored = await drives.CreateAsync(user.TenantId, drive.Id, drive, cancellationToken);
        }
        catch
        {
            await scheduling.ReleaseAsync(user.TenantId, booking, CancellationToken.None);
            throw;
        }

        if (request.LeadId is not null)
        {
            await leads.UpdateAsync(user.TenantId, request.LeadId, lead =>
            {
                var logged = lead.Log(new LeadActivity($"td-{drive.Id}", LeadActivityKind.Note,
                    string.Create(CultureInfo.InvariantCulture, $"Test drive {drive.Id} booked: {drive.Vin} on {drive.Start:yyyy-MM-dd HH:mm} UTC with {drive.SalespersonId}"), now,
                    user.Subject));
                var moved = LeadStages.Allows(lead.Stage, LeadStage.TestDrive) && lead.MoveTo(LeadStage.TestDrive, now, user.Subject, $"Test drive {drive.Id} booked");
                return (logged || moved, true);
            }, "Lead", null, cancellationToken);

            // The same points as moving the lead to its test drive by hand: once per lead, to the salesperson who gives the drive.
            await points.AwardAsync(user.TenantId, drive.SalespersonId, PointAction.TestDriveBooked, request.LeadId, null, cancellationToken);
        }

        http.Response.Headers.ETag = stored.ETag;
        return TypedResults.Created($"/api/showroom/test-drives/{drive.Id}", TestDriveView.Of(stored.Value));
    }

    public static async Task<Ok<TestDriveView>> GetAsync(string id, HttpContext http, [FromServices] ITenantRepository<TestDrive> drives, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var found = await LoadAsync(id, CurrentUser.FromPrincipal(http.User), drives, cancellationToken);
        http.Response.Headers.ETag = found.ETag;
        return TypedResults.Ok(TestDriveView.Of(found.Value));
    }

    /// <summary>
    /// Checks the driver's licence against the drive's day: not expired, category B, the minimum age. The result is kept
    /// (masked number); a refused licence is a 422 naming why, and the drive cannot start until a licence passes.
    /// </summary>
    public static async Task<Ok<TestDriveView>> CheckLicenceAsync(string id, LicenceCheckRequest request, HttpContext http, [FromServices] ITenantRepository<TestDrive> drives,
        [FromServices] IOptions<TestDriveOptions> options, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var errors = TestDriveRules.CheckLicenceFormat(request.Number, request.Country, request.Categories);
        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var current = await LoadAsync(id, user, drives, cancellationToken);
        var now = time.GetUtcNow();
        var categories = request.Categories.Select(c => c.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var minAge = options.Value.MinDriverAge;
        var (stored, refusal) = await drives.UpdateAsync(user.TenantId, current.Value.Id, drive =>
        {
            if (drive.Status != TestDriveStatus.Booked)
            {
                throw new ConflictException($"The test drive is {drive.Status}; the licence is checked before it starts.");
            }

            var day = DateOnly.FromDateTime(drive.Start.UtcDateTime);
            var refused = TestDriveRules.RefusalOf(request.ExpiresOn, categories, request.DateOfBirth, day, minAge);
            drive.Licence = new LicenceCheck(TestDriveRules.MaskLicenceNumber(TestDriveRules.NormalizeLicenceNumber(request.Number)), request.Country, request.ExpiresOn,
                categories, refused is null, refused, minAge, now, user.Subject);
            return (true, refused);
        }, "Test drive", null, cancellationToken);
        if (refusal is not null)
        {
            throw new BusinessRuleException("showroom-licence-refused", refusal);
        }

        http.Response.Headers.ETag = stored.ETag;
        return TypedResults.Ok(TestDriveView.Of(stored.Value));
    }

    /// <summary>Records the customer's signature of the waiver text version they were shown; the server keeps its own time and the text's SHA-256.</summary>
    public static async Task<Ok<TestDriveView>> SignWaiverAsync(string id, SignWaiverRequest request, HttpContext http, [FromServices] ITenantRepository<TestDrive> drives,
        [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        if (!InputFormats.IsText(request.SignedName, MaxNameLength))
        {
            throw RequestValidationException.For("signedName", $"The customer's typed name: at most {MaxNameLength} characters, not blank.");
        }

        if (!InputFormats.IsClientId(request.TextVersion, 20))
        {
            throw RequestValidationException.For("textVersion", "The version of the waiver text shown: letters, digits, '-' or '_' (at most 20).");
        }

        // Well formed, but a text the dealership never showed cannot have been accepted (422).
        var text = WaiverTexts.TextOf(request.TextVersion)
            ?? throw new BusinessRuleException("showroom-waiver-version", $"Unknown waiver text version '{request.TextVersion}'; the current one is {WaiverTexts.Current}.");
        var user = CurrentUser.FromPrincipal(http.User);
        var current = await LoadAsync(id, user, drives, cancellationToken);
        var now = time.GetUtcNow();
        var (stored, _) = await drives.UpdateAsync(user.TenantId, current.Value.Id, drive =>
        {
            if (drive.Status != TestDriveStatus.Booked)
            {
                throw new ConflictException($"The test drive is {drive.Status}; the waiver is signed before it starts.");
            }

            drive.Waiver = new WaiverSignature(request.SignedName.Trim(), request.TextVersion!, WaiverTexts.Sha256Of(text), now, user.Subject);
            return (true, true);
        }, "Test drive", null, cancellationToken);
        http.Response.Headers.ETag = stored.ETag;
        return TypedResults.Ok(TestDriveView.Of(stored.Value));
    }

    /// <summary>Starts the drive: a passed licence check and a signed waiver are required (409 otherwise); from now on the car's telemetry is the drive's track.</summary>
    public static async Task<Ok<TestDriveView>> StartAsync(string id, HttpContext http, [FromServices] ITenantRepository<TestDrive> drives,
        [FromServices] TestDriveScheduling scheduling, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(scheduling);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var current = (await LoadAsync(id, user, drives, cancellationToken)).Value;
        if (current.StartRefusal() is { } refusal)
        {
            throw new ConflictException(refusal);
        }

        await scheduling.PutOnDriveAsync(user.TenantId, current.Vin, current.Id, cancellationToken);
        var now = time.GetUtcNow();
        Versioned<TestDrive> stored;
        try
        {
            (stored, _) = await drives.UpdateAsync(user.TenantId, current.Id, drive =>
            {
                if (drive.StartRefusal() is { } late)
                {
                    throw new ConflictException(late);
                }

                if (drive.Status == TestDriveStatus.Started)
                {
                    return (false, true);
                }

                drive.Status = TestDriveStatus.Started;
                drive.StartedAt = now;
                drive.StartedBy = user.Subject;
                return (true, true);
            }, "Test drive", null, cancellationToken);
        }
        catch
        {
            await scheduling.TakeOffDriveAsync(user.TenantId, current.Vin, current.Id, CancellationToken.None);
            throw;
        }

        http.Response.Headers.ETag = stored.ETag;
        return TypedResults.Ok(TestDriveView.Of(stored.Value));
    }

    /// <summary>Ends the drive and the tracking; finishing a finished drive answers it again.</summary>
    public static async Task<Ok<TestDriveView>> FinishAsync(string id, HttpContext http, [FromServices] ITenantRepository<TestDrive> drives,
        [FromServices] TestDriveScheduling scheduling, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(scheduling);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var current = (await LoadAsync(id, user, drives, cancellationToken)).Value;
        var now = time.GetUtcNow();
        var (stored, _) = await drives.UpdateAsync(user.TenantId, current.Id, drive =>
        {
            if (drive.Status == TestDriveStatus.Finished)
            {
                return (false, true);
            }

            drive.EnsureStatus(TestDriveStatus.Started, "finishing");
            drive.Status = TestDriveStatus.Finished;
            drive.FinishedAt = now;
            drive.FinishedBy = user.Subject;
            return (true, true);
        }, "Test drive", null, cancellationToken);
        await scheduling.TakeOffDriveAsync(user.TenantId, current.Vin, current.Id, cancellationToken);
        http.Response.Headers.ETag = stored.ETag;
        return TypedResults.Ok(TestDriveView.Of(stored.Value));
    }

    public static async Task<Ok<TestDriveTrackView>> TrackAsync(string id, HttpContext http, [FromServices] ITenantRepository<TestDrive> drives, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var drive = (await LoadAsync(id, CurrentUser.FromPrincipal(http.User), drives, cancellationToken)).Value;
        var summary = drive.Summary();
        var alerts = summary.GeofenceExits
            .Select(e => new TestDriveAlert(e.At, "GeofenceExit",
                string.Create(CultureInfo.InvariantCulture, $"Left the {drive.GeofenceRadiusMeters:0} m zone around the dealership ({e.MetersFromDealership:0} m away).")))
            .ToList();
        return TypedResults.Ok(new TestDriveTrackView(drive.Id, drive.Vin, drive.Status, drive.StartedAt, drive.FinishedAt, drive.Dealership, drive.GeofenceRadiusMeters,
            drive.Track, drive.Status == TestDriveStatus.Started ? summary.Last?.SpeedKmh : null, summary.Last, summary.DistanceKm, summary.MaxSpeedKmh, summary.AverageSpeedKmh,
            summary.OutsideGeofence, summary.GeofenceExits, alerts));
    }

    /// <summary>The customer's feedback after the drive (sending it again replaces it); the lead, if any, gets it as a note.</summary>
    public static async Task<Ok<TestDriveView>> FeedbackAsync(string id, TestDriveFeedbackRequest request, HttpContext http, [FromServices] ITenantRepository<TestDrive> drives,
        [FromServices] ITenantRepository<Lead> leads, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(time);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.Rating is < 1 or > 5)
        {
            errors["rating"] = ["1 (poor) to 5 (excellent)."];
        }

        if (!Enum.IsDefined(request.Interest))
        {
            errors["interest"] = [$"One of {string.Join(", ", Enum.GetNames<InterestLevel>())}."];
        }

        if (request.Comments is not null && !InputFormats.IsText(request.Comments, MaxCommentLength))
        {
            errors["comments"] = [$"When given: at most {MaxCommentLength} characters, not blank."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var current = await LoadAsync(id, user, drives, cancellationToken);
        var now = time.GetUtcNow();
        var feedback = new TestDriveFeedback(request.Rating, request.Comments?.Trim(), request.Interest, now, user.Subject);
        var (stored, _) = await drives.UpdateAsync(user.TenantId, current.Value.Id, drive =>
        {
            drive.EnsureStatus(TestDriveStatus.Finished, "feedback");
            drive.Feedback = feedback;
            return (true, true);
        }, "Test drive", null, cancellationToken);
        if (stored.Value.LeadId is { } leadId && await leads.GetAsync(user.TenantId, leadId, cancellationToken) is not null)
        {
            await leads.UpdateAsync(user.TenantId, leadId, lead => (lead.Log(new LeadActivity($"tdf-{stored.Value.Id}", LeadActivityKind.Note,
                string.Create(CultureInfo.InvariantCulture, $"Test drive {stored.Value.Id} feedback: {feedback.Rating}/5, interest {feedback.Interest}"), now, user.Subject)), true),
                "Lead", null, cancellationToken);
        }

        http.Response.Headers.ETag = stored.ETag;
        return TypedResults.Ok(TestDriveView.Of(stored.Value));
    }

    /// <summary>The fields a booking and a move share, checked alike; <paramref name="required"/> for a booking, where each must be given.</summary>
    internal static void CheckDriveFields(Dictionary<string, string[]> errors, string? vin, string? salespersonId, int? durationMinutes, bool required)
    {
        if ((vin is not null || required) && !InputFormats.Matches(vin, VinFormat.Pattern))
        {
            errors["vin"] = [VinFormat.Description];
        }

        if ((salespersonId is not null || required) && !InputFormats.IsClientId(salespersonId, MaxIdLength))
        {
            errors["salespersonId"] = [$"An id of letters, digits, '-' or '_' (at most {MaxIdLength})."];
        }

        if (durationMinutes is < 1 or > 24 * 60)
        {
            errors["durationMinutes"] = ["1 to 1440 minutes (the dealership's own limits apply on top)."];
        }
    }

    /// <summary>Well formed, but the slot must be one the dealership books: otherwise the 422 naming what is wrong.</summary>
    internal static void CheckSlotOrThrow(DateTimeOffset start, int durationMinutes, DateTimeOffset now, TestDriveOptions rules)
    {
        var slot = TestDriveRules.CheckSlot(start, durationMinutes, now, rules);
        if (slot.Count > 0)
        {
            throw new BusinessRuleException("showroom-test-drive-slot", string.Join(" ", slot.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
        }
    }

    /// <summary>A car of the caller's stock that may be test driven (Available or Demo); another dealership's is a 404, any other status a 409.</summary>
    internal static async Task<InventoryVehicle> LoadDrivableCarAsync(string vin, CurrentUser user, ITenantRepository<InventoryVehicle> inventory, CancellationToken cancellationToken)
    {
        var car = (await InventoryEndpoints.LoadVisibleAsync(vin, user, inventory, cancellationToken)).Value;
        if (car.Status is not (VehicleStatus.Available or VehicleStatus.Demo))
        {
            throw new ConflictException($"Vehicle {car.Vin} is {car.Status}; only available and demo cars are test driven.");
        }

        return car;
    }

    /// <summary>An active salesperson of the roster, who rides along; unknown is a 404, inactive a 422.</summary>
    internal static async Task<Salesperson> LoadActiveSalespersonAsync(CurrentUser user, string id, ITenantRepository<Salesperson> salespeople, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(salespeople);
        var salesperson = (await salespeople.GetAsync(user.TenantId, id, cancellationToken))?.Value ?? throw new ResourceNotFoundException("Salesperson", id);
        if (!salesperson.Active)
        {
            throw new BusinessRuleException("showroom-salesperson-inactive", $"Salesperson '{salesperson.Id}' is inactive and gives no test drives.");
        }

        return salesperson;
    }

    /// <summary>Another dealership's drive and a malformed id both answer 404.</summary>
    internal static async Task<Versioned<TestDrive>> LoadAsync(string id, CurrentUser user, ITenantRepository<TestDrive> drives, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(drives);
        var found = InputFormats.IsClientId(id, MaxIdLength) ? await drives.GetAsync(user.TenantId, id, cancellationToken) : null;
        return found ?? throw new ResourceNotFoundException("Test drive", id ?? string.Empty);
    }
}
