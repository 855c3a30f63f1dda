using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Showroom.Leaderboards;

namespace ServerlessMobility.Showroom.Leads;

/// <summary>A contact captured by staff at the desk, on the phone or from a test-drive booking.</summary>
/// <param name="Email">Either an e-mail or an E.164 phone (or both) is required: they are how the person is recognised again.</param>
/// <param name="Budget">What the buyer can spend, in <paramref name="Currency"/>.</param>
/// <param name="ListedPrice">The listed price of <paramref name="VehicleOfInterest"/>, in <paramref name="Currency"/>.</param>
public sealed record CaptureLeadRequest(
    LeadSource Source,
    [property: StringLength(LeadsEndpoints.MaxNameLength, MinimumLength = 1), RegularExpression(InputFormats.Text)] string Name,
    [property: StringLength(InputFormats.MaxEmailLength), RegularExpression(InputFormats.Email)] string? Email = null,
    [property: RegularExpression(InputFormats.Phone)] string? Phone = null,
    [property: StringLength(LeadsEndpoints.MaxNoteLength), RegularExpression(InputFormats.Text)] string? Message = null,
    [property: StringLength(LeadsEndpoints.MaxIdLength), RegularExpression(InputFormats.ClientId)] string? VehicleOfInterest = null,
    [property: Range(0, LeadsEndpoints.MaxAmount)] decimal? Budget = null,
    [property: Range(0, LeadsEndpoints.MaxAmount)] decimal? ListedPrice = null,
    [property: RegularExpression(InputFormats.CurrencyCode)] string? Currency = null,
    bool FinancePreApproved = false,
    bool HasTradeIn = false,
    bool RepeatCustomer = false);

/// <summary>A signed-in customer's enquiry from the dealership's website.</summary>
public sealed record LeadEnquiryRequest(
    [property: StringLength(LeadsEndpoints.MaxNameLength, MinimumLength = 1), RegularExpression(InputFormats.Text)] string Name,
    [property: StringLength(InputFormats.MaxEmailLength), RegularExpression(InputFormats.Email)] string? Email = null,
    [property: RegularExpression(InputFormats.Phone)] string? Phone = null,
    [property: StringLength(LeadsEndpoints.MaxNoteLength), RegularExpression(InputFormats.Text)] string? Message = null,
    [property: StringLength(LeadsEndpoints.MaxIdLength), RegularExpression(InputFormats.ClientId)] string? VehicleOfInterest = null,
    [property: Range(0, LeadsEndpoints.MaxAmount)] decimal? Budget = null,
    [property: Range(0, LeadsEndpoints.MaxAmount)] decimal? ListedPrice = null,
    [property: RegularExpression(InputFormats.CurrencyCode)] string? Currency = null,
    bool FinancePreApproved = false,
    bool HasTradeIn = false);

/// <summary>What a customer is told: that the enquiry arrived. Nothing of the lead is shown, since the e-mail may match someone else's.</summary>
public sealed record LeadEnquiryReceipt(bool Received, DateTimeOffset ReceivedAt);

/// <summary>What a salesperson logs by hand; merged contacts are logged by capture.</summary>
public enum LoggedActivityKind
{
    Call,
    Email,
    Visit,
    Note,
}

/// <param name="Id">Optional: the same id twice is one activity, so a client may retry without an Idempotency-Key.</param>
public sealed record LogLeadActivityRequest(
    LoggedActivityKind Kind,
    [property: StringLength(LeadsEndpoints.MaxNoteLength), RegularExpression(InputFormats.Text)] string? Note = null,
    [property: StringLength(LeadsEndpoints.MaxIdLength), RegularExpression(InputFormats.ClientId)] string? Id = null);

public sealed record ChangeLeadStageRequest(LeadStage Stage, [property: StringLength(LeadsEndpoints.MaxNoteLength), RegularExpression(InputFormats.Text)] string? Reason = null);

public sealed record AssignLeadRequest([property: StringLength(LeadsEndpoints.MaxIdLength), RegularExpression(InputFormats.ClientId)] string SalespersonId);

/// <param name="Price">The agreed price, in <paramref name="Currency"/>'s minor units.</param>
public sealed record ConvertLeadRequest(
    [property: StringLength(LeadsEndpoints.MaxIdLength), RegularExpression(InputFormats.ClientId)] string VehicleId,
    [property: Range(0, LeadsEndpoints.MaxAmount, MinimumIsExclusive = true)] decimal Price,
    [property: RegularExpression(InputFormats.CurrencyCode)] string Currency);

/// <summary>A lead as staff see it, contact details decrypted.</summary>
/// <param name="Merged">True when this capture was recognised as a person already known and added to their lead.</param>
/// <param name="HandOff">The car handed to another product line for this buyer (rent-to-own), once it was.</param>
public sealed record LeadView(
    string Id,
    LeadSource Source,
    string Name,
    string? Email,
    string? Phone,
    string? CustomerSubject,
    string? AssignedTo,
    LeadStage Stage,
    string? VehicleOfInterest,
    decimal? Budget,
    decimal? ListedPrice,
    string? Currency,
    bool FinancePreApproved,
    bool HasTradeIn,
    bool RepeatCustomer,
    bool TestDriveTaken,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FirstResponseAt,
    IReadOnlyList<LeadActivity> Activities,
    IReadOnlyList<LeadStageChange> StageHistory,
    LeadSale? Sale,
    bool Merged = false,
    LeadHandOff? HandOff = null);

/// <summary>
/// Leads of a dealership: capture (staff) and enquiries (customers), de-duplicated by e-mail or phone; assignment to the
/// salesperson with the fewest open leads, or by a dealer admin; stages and activities. Every answer of one lead carries its
/// ETag; a change sent with <c>If-Match</c> is refused with a 409 when the lead changed since.
/// </summary>
public static class LeadsEndpoints
{
    public const int MaxNameLength = 100;
    public const int MaxNoteLength = 500;
    public const int MaxIdLength = 64;
    public const double MaxAmount = 1_000_000_000;

    public static async Task<Results<Created<LeadView>, Ok<LeadView>>> CaptureAsync(CaptureLeadRequest request, HttpContext http, [FromServices] LeadCapturing capturing,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(capturing);
        if (!Enum.IsDefined(request.Source))
        {
            throw RequestValidationException.For("source", "WalkIn, Web or TestDrive.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var capture = Validate(request.Source, request.Name, request.Email, request.Phone, request.Message, request.VehicleOfInterest, request.Budget, request.ListedPrice,
            request.Currency, request.FinancePreApproved, request.HasTradeIn, request.RepeatCustomer, customerSubject: null);
        var (stored, created) = await capturing.CaptureAsync(user, capture, cancellationToken);
        var view = capturing.View(stored.Value) with { Merged = !created };
        SetETag(http, stored.ETag);
        return created ? TypedResults.Created($"/api/showroom/leads/{view.Id}", view) : TypedResults.Ok(view);
    }

    /// <summary>A customer's web enquiry: a lead like any other, captured from the web source; the answer only confirms it arrived.</summary>
    public static async Task<Accepted<LeadEnquiryReceipt>> EnquireAsync(LeadEnquiryRequest request, HttpContext http, [FromServices] LeadCapturing capturing,
        [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(capturing);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var capture = Validate(LeadSource.Web, request.Name, request.Email, request.Phone, request.Message, request.VehicleOfInterest, request.Budget, request.ListedPrice,
            request.Currency, request.FinancePreApproved, request.HasTradeIn, repeatCustomer: false, customerSubject: user.Subject);
        await capturing.CaptureAsync(user, capture, cancellationToken);
        return TypedResults.Accepted((string?)null, new LeadEnquiryReceipt(true, time.GetUtcNow()));
    }

    public static async Task<Ok<LeadView>> GetAsync(string id, HttpContext http, [FromServices] ITenantRepository<Lead> leads, [FromServices] LeadCapturing capturing,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(capturing);
        var lead = await LoadAsync(id, CurrentUser.FromPrincipal(http.User), leads, cancellationToken);
        SetETag(http, lead.ETag);
        return TypedResults.Ok(capturing.View(lead.Value));
    }

    public static async Task<Ok<LeadView>> LogActivityAsync(string id, LogLeadActivityRequest request, HttpContext http, [FromServices] ITenantRepository<Lead> leads,
        [FromServices] LeadCapturing capturing, [FromServices] SalesPoints points, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(capturing);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(time);
        var kind = request.Kind switch
        {
            LoggedActivityKind.Call => LeadActivityKind.Call,
            LoggedActivityKind.Email => LeadActivityKind.Email,
            LoggedActivityKind.Visit => LeadActivityKind.Visit,
            LoggedActivityKind.Note => LeadActivityKind.Note,
            _ => throw RequestValidationException.For("kind", "Call, Email, Visit or Note."),
        };

        ValidateOptionalText(request.Note, "note");
        if (request.Id is not null)
        {
            ValidateId(request.Id, "id");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        ValidateId(id, "id");
        var now = time.GetUtcNow();
        var activityId = request.Id ?? NewActivityId(now);
        var (stored, added) = await leads.UpdateAsync(user.TenantId, id, lead =>
        {
            var added = lead.Log(new LeadActivity(activityId, kind, request.Note, now, user.Subject));
            return (added, added);
        }, "Lead", IfMatch(http), cancellationToken);
        if (added)
        {
            await points.AwardAsync(user.TenantId, user.Subject, PointAction.ActivityLogged, id, activityId, cancellationToken);
        }

        SetETag(http, stored.ETag);
        return TypedResults.Ok(capturing.View(stored.Value));
    }

    /// <summary>Moves the lead through the funnel. Won is reached by converting the lead to a sale (the convert route), not here.</summary>
    public static async Task<Ok<LeadView>> ChangeStageAsync(string id, ChangeLeadStageRequest request, HttpContext http, [FromServices] ITenantRepository<Lead> leads,
        [FromServices] LeadCapturing capturing, [FromServices] SalesPoints points, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(capturing);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(time);
        if (!Enum.IsDefined(request.Stage))
        {
            throw RequestValidationException.For("stage", "New, Contacted, TestDrive, Negotiating, Won or Lost.");
        }

        ValidateOptionalText(request.Reason, "reason");
        ValidateId(id, "id");
        if (request.Stage == LeadStage.Won)
        {
            throw new BusinessRuleException("showroom-lead-won-by-sale", "A lead is won by converting it to a sale (POST /api/showroom/leads/{id}/convert).");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var (stored, _) = await leads.UpdateAsync(user.TenantId, id, lead => (lead.MoveTo(request.Stage, time.GetUtcNow(), user.Subject, request.Reason), true),
            "Lead", IfMatch(http), cancellationToken);
        if (request.Stage == LeadStage.TestDrive)
        {
            await points.AwardAsync(user.TenantId, user.Subject, PointAction.TestDriveBooked, id, null, cancellationToken);
        }

        SetETag(http, stored.ETag);
        return TypedResults.Ok(capturing.View(stored.Value));
    }

    /// <summary>A dealer admin gives the lead to another active salesperson of the roster.</summary>
    public static async Task<Ok<LeadView>> AssignAsync(string id, AssignLeadRequest request, HttpContext http, [FromServices] ITenantRepository<Lead> leads,
        [FromServices] ITenantRepository<Salesperson> salespeople, [FromServices] LeadCapturing capturing, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(salespeople);
        ArgumentNullException.ThrowIfNull(capturing);
        ArgumentNullException.ThrowIfNull(time);
        ValidateId(request.SalespersonId, "salespersonId");
        ValidateId(id, "id");
        var user = CurrentUser.FromPrincipal(http.User);
        _ = await LoadAsync(id, user, leads, cancellationToken);
        var salesperson = (await salespeople.GetAsync(user.TenantId, request.SalespersonId, cancellationToken))?.Value
            ?? throw new ResourceNotFoundException("Salesperson", request.SalespersonId);
        if (!salesperson.Active)
        {
            throw new BusinessRuleException("showroom-salesperson-inactive", $"Salesperson '{salesperson.Id}' is inactive and takes no leads.");
        }

        var now = time.GetUtcNow();
        var (stored, _) = await leads.UpdateAsync(user.TenantId, id, lead =>
        {
            if (string.Equals(lead.AssignedTo, salesperson.Id, StringComparison.Ordinal))
            {
                return (false, false);
            }

            if (!lead.Open)
            {
                throw new ConflictException($"The lead is {lead.Stage}; a closed lead is not reassigned.");
            }

            lead.Log(new LeadActivity(NewActivityId(now), LeadActivityKind.Note, $"Reassigned from {lead.AssignedTo ?? "nobody"} to {salesperson.Id}", now, user.Subject));
            lead.AssignedTo = salesperson.Id;
            return (true, true);
        }, "Lead", IfMatch(http), cancellationToken);
        SetETag(http, stored.ETag);
        return TypedResults.Ok(capturing.View(stored.Value));
    }

    /// <summary>
    /// The sale: the vehicle is reserved for the lead in the inventory first (<see cref="IShowroomVehicleReservation"/>), then the
    /// lead is won with the sale recorded. Converting again with the same vehicle and price answers the same sale.
    /// </summary>
    public static async Task<Ok<LeadView>> ConvertAsync(string id, ConvertLeadRequest request, HttpContext http, [FromServices] ITenantRepository<Lead> leads,
        [FromServices] LeadCapturing capturing, [FromServices] SalesPoints points, [FromServices] IShowroomVehicleReservation reservation, [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(reservation);
        ArgumentNullException.ThrowIfNull(capturing);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(time);
        ValidateId(request.VehicleId, "vehicleId");
        var currencyValid = Platform.Currencies.Currency.IsValidCode(request.Currency);
        if (!currencyValid)
        {
            throw RequestValidationException.For("currency", "An ISO 4217 code of three upper-case letters is required.");
        }

        if (request.Price is <= 0 or > (decimal)MaxAmount || !Platform.Currencies.Currency.HasValidPrecision(request.Price, request.Currency))
        {
            throw RequestValidationException.For("price", "The price must be above zero, at most 1,000,000,000 and in the currency's minor units.");
        }

        ValidateId(id, "id");
        var user = CurrentUser.FromPrincipal(http.User);
        var lead = (await LoadAsync(id, user, leads, cancellationToken)).Value;
        var price = new Money(request.Price, request.Currency);
        var now = time.GetUtcNow();

        // Refuse what the lead cannot become before touching the inventory, so a refused conversion reserves nothing.
        lead.Win(new LeadSale(request.VehicleId, price, now, user.Subject, null));

        var reference = await reservation.ReserveForSaleAsync(user.TenantId, request.VehicleId, id, cancellationToken);
        var (stored, _) = await leads.UpdateAsync(user.TenantId, id, current =>
        {
            var wasSold = current.Sale is not null;
            current.Win(new LeadSale(request.VehicleId, price, now, user.Subject, reference));
            return (!wasSold, true);
        }, "Lead", IfMatch(http), cancellationToken);
        await points.AwardAsync(user.TenantId, user.Subject, PointAction.SaleClosed, id, null, cancellationToken);
        SetETag(http, stored.ETag);
        return TypedResults.Ok(capturing.View(stored.Value));
    }

    public static async Task<Versioned<Lead>> LoadAsync(string id, CurrentUser user, ITenantRepository<Lead> leads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(leads);
        ValidateId(id, "id");
        return await leads.GetAsync(user.TenantId, id, cancellationToken) ?? throw new ResourceNotFoundException("Lead", id);
    }

    public static void ValidateId(string? id, string field)
    {
        if (!InputFormats.IsClientId(id, MaxIdLength))
        {
            throw RequestValidationException.For(field, $"An id of letters, digits, '-' or '_' (at most {MaxIdLength}) is required.");
        }
    }

    private static LeadCapture Validate(LeadSource source, string? name, string? email, string? phone, string? message, string? vehicle, decimal? budget, decimal? listedPrice,
        string? currency, bool finance, bool tradeIn, bool repeatCustomer, string? customerSubject)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!InputFormats.IsText(name, MaxNameLength))
        {
            errors["name"] = [$"A name of 1 to {MaxNameLength} characters is required."];
        }

        if (email is not null && !InputFormats.IsEmail(email))
        {
            errors["email"] = ["An e-mail address is required (at most 254 characters)."];
        }

        if (phone is not null && !InputFormats.IsPhone(phone))
        {
            errors["phone"] = ["An E.164 phone number (+ and 8 to 15 digits) is required."];
        }

        if (email is null && phone is null)
        {
            errors["email"] = ["An e-mail or a phone is required: they are how the person is recognised when they come back."];
        }

        if (message is not null && !InputFormats.IsText(message, MaxNoteLength))
        {
            errors["message"] = [$"At most {MaxNoteLength} characters."];
        }

        if (vehicle is not null && !InputFormats.IsClientId(vehicle, MaxIdLength))
        {
            errors["vehicleOfInterest"] = [$"An id of letters, digits, '-' or '_' (at most {MaxIdLength})."];
        }

        var currencyValid = currency is null || Platform.Currencies.Currency.IsValidCode(currency);
        if (!currencyValid)
        {
            errors["currency"] = ["An ISO 4217 code of three upper-case letters is required."];
        }
        else if (currency is null && (budget is not null || listedPrice is not null))
        {
            errors["currency"] = ["The currency of the budget and the listed price is required with them."];
        }

        foreach (var (field, amount) in new[] { ("budget", budget), ("listedPrice", listedPrice) })
        {
            if (amount is { } value && (value < 0 || value > (decimal)MaxAmount || (currency is not null && currencyValid && !Platform.Currencies.Currency.HasValidPrecision(value, currency))))
            {
                errors[field] = ["An amount from 0 to 1,000,000,000 in the currency's minor units."];
            }
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        return new LeadCapture(source, name!.Trim(), LeadContacts.NormalizeEmail(email), LeadContacts.NormalizePhone(phone), message, vehicle, budget, listedPrice, currency,
            finance, tradeIn, repeatCustomer, customerSubject);
    }

    private static void ValidateOptionalText(string? text, string field)
    {
        if (text is not null && !InputFormats.IsText(text, MaxNoteLength))
        {
            throw RequestValidationException.For(field, $"At most {MaxNoteLength} characters.");
        }
    }

    private static string NewActivityId(DateTimeOffset now) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"a-{now.UtcTicks}-{Guid.NewGuid().ToString("N")[..8]}");

    internal static string? IfMatch(HttpContext http)
    {
        var value = http.Request.Headers.IfMatch.ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static void SetETag(HttpContext http, string eTag) =>
        http.Response.Headers.ETag = eTag.StartsWith('"') ? eTag : $"\"{eTag}\"";
}
