using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.RentToOwn.Credit;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Security.Pii;

namespace ServerlessMobility.RentToOwn.Customers;

/// <param name="Phone">International format (E.164), for example +254712345678.</param>
/// <param name="CustomerId">Optional: an agent names the customer; a customer onboarding themselves is their token's subject.</param>
public sealed record OnboardCustomerRequest(
    [property: RegularExpression(InputFormats.Phone)] string Phone,
    [property: AllowedValues(CustomerEndpoints.NationalId, CustomerEndpoints.Passport, CustomerEndpoints.DrivingLicence)] string DocumentType,
    [property: StringLength(CustomerEndpoints.MaxDocumentNumberLength, MinimumLength = CustomerEndpoints.MinDocumentNumberLength), RegularExpression(InputFormats.Text)] string DocumentNumber,
    [property: StringLength(CustomerEndpoints.MaxCustomerIdLength), RegularExpression(InputFormats.Text)] string? CustomerId = null);

/// <param name="Reason">Required to reject.</param>
public sealed record KycReviewRequest(bool Approve, [property: StringLength(CustomerEndpoints.MaxReasonLength), RegularExpression(InputFormats.Text)] string? Reason = null);

/// <summary>In a body, not a query string: URLs end up in request logs and proxies. Give a phone, a document number, or both.</summary>
public sealed record CustomerSearchRequest(
    [property: RegularExpression(InputFormats.Phone)] string? Phone = null,
    [property: StringLength(CustomerEndpoints.MaxDocumentNumberLength, MinimumLength = CustomerEndpoints.MinDocumentNumberLength), RegularExpression(InputFormats.Text)] string? DocumentNumber = null);

public sealed class KycOptions
{
    public const string SectionName = "RentToOwn:Kyc";

    public long MaxDocumentBytes { get; set; } = KycDocumentRules.DefaultMaxBytes;
}

/// <summary>
/// Onboarding and KYC. A customer onboards themselves (id = token subject); an agent may onboard on
/// their behalf. Phone and document number are encrypted before they reach storage and never logged.
/// </summary>
public static class CustomerEndpoints
{
    public const string PhonePurpose = "rto.customer.phone";
    public const string DocumentNumberPurpose = "rto.customer.document-number";

    public const int MaxCustomerIdLength = 128;

    public const int MinDocumentNumberLength = 4;

    public const int MaxDocumentNumberLength = 40;

    public const int MaxReasonLength = 500;

    public const string NationalId = "national-id";

    public const string Passport = "passport";

    public const string DrivingLicence = "driving-licence";

    public static void MapRentToOwnCustomers(this IEndpointRouteBuilder api)
    {
        var customers = api.MapGroup("/customers").WithTags("Rent-to-own customers");
        api.MapPost("/customers", OnboardAsync).WithTags("Rent-to-own customers").WithName("OnboardCustomer").RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent);
        customers.MapPost("/search", SearchAsync).WithName("SearchCustomers").RequireRoles(PlatformRoles.Agent, PlatformRoles.Admin);
        customers.MapGet("/{id}", GetAsync).WithName("GetCustomer").RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent, PlatformRoles.Admin);
        customers.MapPost("/{id}/kyc/document", UploadAsync).WithName("UploadKycDocument").RequireRoles(PlatformRoles.Customer, PlatformRoles.Agent);
        customers.MapPost("/{id}/kyc/review", ReviewAsync).WithName("ReviewKyc").RequireRoles(PlatformRoles.Agent, PlatformRoles.Admin);
    }

    public static async Task<Created<CustomerView>> OnboardAsync(OnboardCustomerRequest request, HttpContext http, ICustomerStore store, PiiProtector pii, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(pii);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var customerId = user.IsInRole(PlatformRoles.Agent) && !string.IsNullOrWhiteSpace(request.CustomerId) ? request.CustomerId : user.Subject;
        var phone = NormalisePhone(request.Phone);
        var errors = new Dictionary<string, string[]>();
        if (phone is null)
        {
            errors["phone"] = [PhoneRule];
        }

        if (!IsDocumentNumber(request.DocumentNumber))
        {
            errors["documentNumber"] = [DocumentNumberRule];
        }

        if (request.DocumentType is not (NationalId or Passport or DrivingLicence))
        {
            errors["documentType"] = [$"Document type must be {NationalId}, {Passport} or {DrivingLicence}."];
        }

        if (request.CustomerId is not null && !InputFormats.IsText(request.CustomerId, MaxCustomerIdLength))
        {
            errors["customerId"] = [$"At most {MaxCustomerIdLength} characters, no control characters."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var documentNumber = request.DocumentNumber.Trim().ToUpperInvariant();
        var documentHash = pii.LookupHash(documentNumber, DocumentNumberPurpose);
        if ((await store.FindByHashAsync(user.TenantId, null, documentHash, cancellationToken)).Any(c => c.Id != customerId))
        {
            throw new ConflictException("Another customer is registered with that identity document.");
        }

        var customer = new Customer
        {
            Id = customerId,
            TenantId = user.TenantId,
            PhoneProtected = pii.Protect(phone!, PhonePurpose),
            PhoneHash = pii.LookupHash(phone!, PhonePurpose),
            PhoneHint = "…" + phone![^3..],
            DocumentType = request.DocumentType,
            DocumentNumberProtected = pii.Protect(documentNumber, DocumentNumberPurpose),
            DocumentNumberHash = documentHash,
            CreatedAt = time.GetUtcNow(),
        };
        await store.CreateAsync(customer, cancellationToken);
        return TypedResults.Created($"/api/customers/{customer.Id}", CustomerView.From(customer));
    }

    public static async Task<Ok<CustomerView>> GetAsync(string id, HttpContext http, ICustomerStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(CustomerView.From(await LoadVisibleAsync(id, http, store, cancellationToken)));

    public static async Task<Ok<IReadOnlyList<CustomerView>>> SearchAsync(CustomerSearchRequest request, HttpContext http, ICustomerStore store, PiiProtector pii, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (phone, documentNumber) = (request.Phone, request.DocumentNumber);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(pii);
        var normalisedPhone = phone is null ? null : NormalisePhone(phone);
        if (phone is not null && normalisedPhone is null)
        {
            throw RequestValidationException.For("phone", PhoneRule);
        }

        if (documentNumber is not null && !IsDocumentNumber(documentNumber))
        {
            throw RequestValidationException.For("documentNumber", DocumentNumberRule);
        }

        if (normalisedPhone is null && documentNumber is null)
        {
            throw RequestValidationException.For("phone", "Search by a phone in international format or a document number.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var found = await store.FindByHashAsync(user.TenantId,
            normalisedPhone is null ? null : pii.LookupHash(normalisedPhone, PhonePurpose),
            documentNumber is null ? null : pii.LookupHash(documentNumber.Trim().ToUpperInvariant(), DocumentNumberPurpose),
            cancellationToken);
        return TypedResults.Ok<IReadOnlyList<CustomerView>>(found.Select(CustomerView.From).ToList());
    }

    public static async Task<Ok<CustomerView>> UploadAsync(string id, HttpContext http, ICustomerStore store, IKycDocumentStore documents, IOptions<KycOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var customer = await LoadVisibleAsync(id, http, store, cancellationToken);
        if (customer.KycStatus == KycStatus.Approved)
        {
            throw new BusinessRuleException("kyc-already-approved", "KYC is already approved.");
        }

        var max = options.Value.MaxDocumentBytes;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            // Stop reading at the limit instead of buffering whatever a client sends.
            if (buffer.Length + read > max)
            {
                throw new BusinessRuleException("document-too-large", $"Identity documents are at most {max} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        var content = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var contentType = KycDocumentRules.Check(http.Request.ContentType, content.Span, max);
        var blobName = await documents.SaveAsync(customer.TenantId, customer.Id, content, contentType, cancellationToken);
        var now = time.GetUtcNow();
        var updated = await store.UpdateAsync(customer.TenantId, customer.Id, c =>
        {
            c.DocumentBlobName = blobName;
            c.DocumentContentType = contentType;
            c.DocumentUploadedAt = now;
            c.KycStatus = KycStatus.Pending;
            c.ReviewReason = null;
        }, cancellationToken);
        return TypedResults.Ok(CustomerView.From(updated));
    }

    public static async Task<Ok<CustomerView>> ReviewAsync(string id, KycReviewRequest request, HttpContext http, ICustomerStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(time);
        if (request.Reason is not null && !InputFormats.IsText(request.Reason, MaxReasonLength))
        {
            throw RequestValidationException.For("reason", $"At most {MaxReasonLength} characters, no control characters.");
        }

        if (!request.Approve && request.Reason is null)
        {
            throw RequestValidationException.For("reason", "A rejection needs a reason.");
        }

        var customer = await LoadVisibleAsync(id, http, store, cancellationToken);
        var reviewer = CurrentUser.FromPrincipal(http.User).Subject;
        if (customer.KycStatus != KycStatus.Pending)
        {
            throw new BusinessRuleException("kyc-not-pending", "Only a KYC with an uploaded document can be reviewed.");
        }

        var now = time.GetUtcNow();
        var updated = await store.UpdateAsync(customer.TenantId, customer.Id, c =>
        {
            if (c.KycStatus != KycStatus.Pending)
            {
                throw new ConflictException("The KYC was reviewed concurrently.");
            }

            c.KycStatus = request.Approve ? KycStatus.Approved : KycStatus.Rejected;
            c.ReviewedBy = reviewer;
            c.ReviewedAt = now;
            c.ReviewReason = request.Reason?.Trim();
        }, cancellationToken);
        return TypedResults.Ok(CustomerView.From(updated));
    }

    private const string PhoneRule = "Phone must be in international format, for example +254712345678.";

    private static readonly string DocumentNumberRule = $"Document number must be {MinDocumentNumberLength} to {MaxDocumentNumberLength} characters, no control characters.";

    /// <summary>E.164 (<see cref="InputFormats.Phone"/>); spaces, dashes and parentheses are dropped so the lookup hash is stable.</summary>
    internal static string? NormalisePhone(string? phone)
    {
        var compact = new string((phone ?? string.Empty).Where(c => c is not (' ' or '-' or '(' or ')')).ToArray());
        return InputFormats.IsPhone(compact) ? compact : null;
    }

    private static bool IsDocumentNumber(string? value) => value is { Length: >= MinDocumentNumberLength } && InputFormats.IsText(value, MaxDocumentNumberLength);

    private static async Task<Customer> LoadVisibleAsync(string id, HttpContext http, ICustomerStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        var user = CurrentUser.FromPrincipal(http.User);
        var isStaff = user.IsInRole(PlatformRoles.Agent) || user.IsInRole(PlatformRoles.Admin);
        if (!isStaff && !string.Equals(id, user.Subject, StringComparison.Ordinal))
        {
            throw new ResourceNotFoundException("Customer", id);
        }

        return await store.GetAsync(user.TenantId, id, cancellationToken) ?? throw new ResourceNotFoundException("Customer", id);
    }
}

/// <summary>The KYC status for credit decisions, read from the customer record.</summary>
public sealed class CustomerKycStatusReader(ICustomerStore customers) : IKycStatusReader
{
    public async Task<KycStatus> GetStatusAsync(string tenantId, string customerId, CancellationToken cancellationToken = default) =>
        (await customers.GetAsync(tenantId, customerId, cancellationToken))?.KycStatus ?? KycStatus.NotStarted;
}
