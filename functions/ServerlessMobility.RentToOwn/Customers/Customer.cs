using ServerlessMobility.RentToOwn.Credit;

namespace ServerlessMobility.RentToOwn.Customers;

/// <summary>
/// A rent-to-own customer as stored: the phone and the identity document number only as AES-GCM
/// ciphertext (<c>*Protected</c>) and keyed lookup hashes (<c>*Hash</c>) for search; never in clear.
/// </summary>
public sealed class Customer
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required string PhoneProtected { get; set; }

    public required string PhoneHash { get; set; }

    public required string DocumentType { get; init; }

    public required string DocumentNumberProtected { get; set; }

    public required string DocumentNumberHash { get; set; }

    /// <summary>Last digits only, for people to recognise the number without exposing it.</summary>
    public required string PhoneHint { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public KycStatus KycStatus { get; set; } = KycStatus.NotStarted;

    public string? DocumentBlobName { get; set; }

    public string? DocumentContentType { get; set; }

    public DateTimeOffset? DocumentUploadedAt { get; set; }

    public string? ReviewedBy { get; set; }

    public DateTimeOffset? ReviewedAt { get; set; }

    public string? ReviewReason { get; set; }
}

/// <summary>What the API returns: never the phone or the document number.</summary>
public sealed record CustomerView(
    string Id,
    string DocumentType,
    string PhoneHint,
    KycStatus KycStatus,
    string? DocumentContentType,
    DateTimeOffset? DocumentUploadedAt,
    string? ReviewReason,
    DateTimeOffset? ReviewedAt)
{
    public static CustomerView From(Customer customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        return new(customer.Id, customer.DocumentType, customer.PhoneHint, customer.KycStatus, customer.DocumentContentType,
            customer.DocumentUploadedAt, customer.ReviewReason, customer.ReviewedAt);
    }
}

public interface ICustomerStore
{
    Task<Customer?> GetAsync(string tenantId, string customerId, CancellationToken cancellationToken = default);

    /// <exception cref="Platform.Http.ConflictException">The customer exists.</exception>
    Task CreateAsync(Customer customer, CancellationToken cancellationToken = default);

    /// <summary>Read-change-replace with an ETag precondition; a concurrent write is a 409.</summary>
    Task<Customer> UpdateAsync(string tenantId, string customerId, Action<Customer> change, CancellationToken cancellationToken = default);

    /// <summary>Customers in the tenant whose phone or document number has this lookup hash.</summary>
    Task<IReadOnlyList<Customer>> FindByHashAsync(string tenantId, string? phoneHash, string? documentNumberHash, CancellationToken cancellationToken = default);
}

/// <summary>Identity document files (private blob container).</summary>
public interface IKycDocumentStore
{
    /// <returns>The blob name.</returns>
    Task<string> SaveAsync(string tenantId, string customerId, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default);
}
