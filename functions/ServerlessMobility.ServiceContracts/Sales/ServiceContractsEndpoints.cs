using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform;
using ServerlessMobility.Platform.Documents;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.ServiceContracts.Lifecycle;
using ServerlessMobility.ServiceContracts.Payments;
using ServerlessMobility.ServiceContracts.Quotes;
using ServerlessMobility.ServiceContracts.Records;

namespace ServerlessMobility.ServiceContracts.Sales;

/// <param name="Name">The customer's name as they type it to accept.</param>
/// <param name="DocumentHash">The documentHash of the quote the customer read: acceptance of any other document is refused.</param>
public sealed record AcceptContractQuoteRequest(
    [property: StringLength(ServiceContractsEndpoints.MaxNameLength), RegularExpression(InputFormats.Text)] string Name,
    [property: RegularExpression(ServiceContractsEndpoints.Sha256Pattern)] string DocumentHash);

/// <summary>A contract as answered: the stored record with its state at the moment of the answer.</summary>
/// <param name="DocumentUrl">A signed, expiring download link of the contract's PDF, on the sale's and the read's answers.</param>
public sealed record ServiceContractView(string State, ServiceContract Contract, Uri? DocumentUrl = null)
{
    public static ServiceContractView Of(ServiceContract contract, DateTimeOffset now) => new(contract.StateAt(now), contract);

    /// <summary>With a fresh download link of the contract's PDF, when it has one.</summary>
    public static ServiceContractView WithDocument(ServiceContract contract, DateTimeOffset now, DocumentLinks links, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(request);
        if (contract.Document is not { } document)
        {
            return Of(contract, now);
        }

        var link = links.Create(contract.TenantId, document.DocumentId, document.Version);
        return new(contract.StateAt(now), contract, new Uri($"{request.Scheme}://{request.Host}{ServerlessMobilityApi.RoutePrefix}/documents/download?{link.Query}"));
    }
}

/// <summary>
/// The sale (the customer accepts their quote), reading a contract and verifying it against the ledger. Customers
/// see only their own contracts; staff of the dealership, its workshops and admins see the tenant's.
/// </summary>
public static class ServiceContractsEndpoints
{
    public const int MaxNameLength = 200;
    public const string Sha256Pattern = "^[0-9a-f]{64}$";

    internal static readonly string[] Readers = [PlatformRoles.Customer, PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin, PlatformRoles.WorkshopStaff, PlatformRoles.Admin];

    public static void MapServiceContracts(this IEndpointRouteBuilder api)
    {
        api.MapPost("/service-contract-quotes/{id}/acceptance", AcceptAsync).WithTags("Service contracts").WithName("AcceptContractQuote").RequireRoles(PlatformRoles.Customer);
        var contracts = api.MapGroup("/service-contracts").WithTags("Service contracts");
        contracts.MapGet("/{id}", GetAsync).WithName("GetServiceContract").RequireRoles(Readers);
        contracts.MapGet("/{id}/verification", VerifyAsync).WithName("VerifyServiceContract").RequireRoles(Readers);
        contracts.MapGet("/{id}/receipt-verification", VerifyReceiptAsync).WithName("VerifyServiceContractReceipt").RequireRoles(Readers);
    }

    /// <summary>
    /// The sale: the customer the quote was made for accepts its document by hash, with their name; the time and the
    /// address the acceptance came from are recorded with it, and the contract is active from that moment.
    /// </summary>
    public static async Task<Created<ServiceContractView>> AcceptAsync(string id, AcceptContractQuoteRequest request, HttpContext http, ITenantRepository<ContractQuote> quotes,
        ITenantRepository<ServiceContract> contracts, ContractRecords records, DurableTaskClient workflows, IOptions<ContractPaymentOptions> payments, DocumentIssuer documents, DocumentLinks links,
        INotifications notifications, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(notifications);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(payments);
        ArgumentNullException.ThrowIfNull(quotes);
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(time);
        var errors = new FieldErrors();
        errors.Check(InputFormats.IsText(request.Name, MaxNameLength), "name", $"The customer's name is required (at most {MaxNameLength} characters).");
        errors.Check(InputFormats.Matches(request.DocumentHash, Sha256Pattern), "documentHash", "The SHA-256 of the accepted document, 64 lower-case hex digits.");
        errors.ThrowIfAny();
        var user = CurrentUser.FromPrincipal(http.User);
        var quote = await ContractQuotesEndpoints.FindAsync(quotes, user, id, cancellationToken);
        if (!string.Equals(quote.Value.CustomerId, user.Subject, StringComparison.Ordinal))
        {
            throw new ResourceNotFoundException("Contract quote", id);
        }

        var now = time.GetUtcNow();
        if (quote.Value.ContractId is not null)
        {
            throw new ConflictException($"Quote '{id}' was already accepted as contract '{quote.Value.ContractId}'.");
        }

        if (quote.Value.IsExpiredAt(now))
        {
            throw new BusinessRuleException("quote-expired", $"The quote expired at {quote.Value.ExpiresAt:O}; ask for a new one.");
        }

        if (!string.Equals(request.DocumentHash, quote.Value.DocumentHash, StringComparison.Ordinal))
        {
            throw new BusinessRuleException("document-mismatch", "The accepted document is not the quote's contract document; reload the quote and accept its document.");
        }

        var q = quote.Value;
        var contract = new ServiceContract(
            ContractIdFor(q.Id), q.TenantId, q.Id, q.CustomerId, q.ProductId, q.ProductName, q.ProductVersion, q.Country, q.Vehicle, q.Price,
            new Acceptance(request.Name.Trim(), now, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", q.DocumentHash),
            now, now.AddMonths(q.ProductVersion.Terms.TermMonths), ContractStatus.Active, [], null, [],
            Payment: q.Payment, Instalments: q.Payment.Instalments(now, firstNumber: 1, payments.Value.MonthLength));

        // The contract document: issued once per contract (a retried acceptance gets the same PDF), its hash in the ledger.
        var pdf = await documents.IssueAsync(ContractDocumentPdf.Request(contract), cancellationToken);
        contract = contract with { Document = new ContractPdfRef(pdf.DocumentId, pdf.Version, pdf.Sha256) };
        contract = await records.RecordAsync(contract, "sold", user.Subject, now, cancellationToken);

        // The quote is marked first, conditionally: of two acceptances racing, one wins here and the other gets a 409.
        await quotes.ReplaceAsync(user.TenantId, id, q with { ContractId = contract.Id }, quote.ETag, cancellationToken);
        await contracts.CreateAsync(user.TenantId, contract.Id, contract, cancellationToken);

        // The first instalment is due now; the workflow collects it and the rest on their dates, and reminds and renews.
        await workflows.StartOnceAsync(ContractLifecycleWorkflow.Name, ContractLifecycleWorkflow.InstanceIdFor(contract.TenantId, contract.Id),
            new ContractLifecycleInput(contract.TenantId, contract.Id), cancellationToken);

        // The customer gets the contract on the channels they registered, once (the message id is the contract's).
        await notifications.PublishAsync(new NotificationEvent($"sc-sold:{contract.Id}", "document-issued", contract.TenantId, new NotificationRecipient(contract.CustomerId, contract.Acceptance.Name),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["document_title"] = "Service contract", ["document_number"] = contract.Id },
            Documents: [new NotificationDocument(pdf.DocumentId, pdf.Version, pdf.FileName)]), cancellationToken);
        return TypedResults.Created($"/api/service-contracts/{contract.Id}", ServiceContractView.WithDocument(contract, now, links, http.Request));
    }

    public static async Task<Ok<ServiceContractView>> GetAsync(string id, HttpContext http, ITenantRepository<ServiceContract> contracts, DocumentLinks links, TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(links);
        ArgumentNullException.ThrowIfNull(time);
        var contract = await FindAsync(contracts, CurrentUser.FromPrincipal(http.User), id, cancellationToken);
        return TypedResults.Ok(ServiceContractView.WithDocument(contract.Value, time.GetUtcNow(), links, http.Request));
    }

    /// <summary>Whether the stored contract is the one its last ledger receipt vouches for, and the ledger chain is intact.</summary>
    public static async Task<Ok<ContractVerification>> VerifyAsync(string id, HttpContext http, ITenantRepository<ServiceContract> contracts, ContractRecords records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(records);
        var contract = await FindAsync(contracts, CurrentUser.FromPrincipal(http.User), id, cancellationToken);
        return TypedResults.Ok(await records.VerifyAsync(contract.Value, cancellationToken));
    }

    /// <summary>Verifies a receipt the customer kept (<paramref name="sequence"/> and <paramref name="hash"/>) against the ledger.</summary>
    /// <param name="sequence">The receipt's position in the ledger.</param>
    /// <param name="hash">The receipt's hash: 64 lower-case hex digits.</param>
    public static async Task<Ok<ContractVerification>> VerifyReceiptAsync(string id, string? sequence, string? hash, HttpContext http, ITenantRepository<ServiceContract> contracts,
        ContractRecords records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(records);
        var errors = new FieldErrors();
        var position = long.TryParse(sequence, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : 0;
        errors.Check(position > 0, "sequence", "The receipt's position: a positive whole number.");
        errors.Check(InputFormats.Matches(hash, Sha256Pattern), "hash", "The receipt's hash: 64 lower-case hex digits.");
        errors.ThrowIfAny();
        var user = CurrentUser.FromPrincipal(http.User);
        var contract = await FindAsync(contracts, user, id, cancellationToken);
        return TypedResults.Ok(await records.VerifyReceiptAsync(user.TenantId, contract.Value.Id, position, hash!, cancellationToken));
    }

    /// <summary>One contract per quote: the id follows from the quote's.</summary>
    public static string ContractIdFor(string quoteId) => "sc-" + quoteId;

    internal static async Task<Versioned<ServiceContract>> FindAsync(ITenantRepository<ServiceContract> contracts, CurrentUser user, string id, CancellationToken cancellationToken)
    {
        var contract = await contracts.GetAsync(user.TenantId, id, cancellationToken);
        if (contract is null || (ContractQuotesEndpoints.OnlyOwn(user) && !string.Equals(contract.Value.CustomerId, user.Subject, StringComparison.Ordinal)))
        {
            throw new ResourceNotFoundException("Service contract", id);
        }

        return contract;
    }
}
