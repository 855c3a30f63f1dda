using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.ServiceContracts.Products;
using ServerlessMobility.ServiceContracts.Records;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Import;

/// <summary>
/// Bulk import of contracts sold elsewhere (legacy records) into the caller's dealership. Every record is checked on
/// its own and answered in a per-record report: one bad record never blocks the good ones, and importing the same file
/// again skips what is already there.
/// </summary>
public static class ContractImportsEndpoints
{
    public static void MapContractImports(this IEndpointRouteBuilder api) =>
        api.MapPost("/service-contract-imports", ImportAsync).WithTags("Service contract imports").WithName("ImportServiceContracts")
            .RequireRoles(PlatformRoles.DealerAdmin, PlatformRoles.Admin);

    /// <summary>
    /// The body is the file itself: text/csv with a header row, application/json (an array of objects) or
    /// application/xml (one element per record), at most 1 MiB and 1000 records. Fields: externalId, customerId,
    /// jurisdiction, productId, vin, model, firstRegistered, odometerKm, startsAt, priceTotal, currency.
    /// </summary>
    public static async Task<Ok<ContractImportReport>> ImportAsync(HttpContext http, ITenantRepository<ContractProduct> products, ITenantRepository<ServiceContract> contracts,
        ContractRecords records, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(products);
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(time);
        var content = await ReadBodyAsync(http.Request, cancellationToken);
        var rows = ImportFileReader.Read(http.Request.ContentType, content.Span);
        var user = CurrentUser.FromPrincipal(http.User);
        var now = time.GetUtcNow();

        // Each product the file names is read once; one the tenant does not have stays out, and its records are rejected.
        var known = new Dictionary<string, ContractProduct>(StringComparer.Ordinal);
        foreach (var productId in rows.Select(r => r["productId"]).OfType<string>().Where(id => InputFormats.IsClientId(id, Quotes.ContractQuotesEndpoints.MaxIdLength)).Distinct(StringComparer.Ordinal))
        {
            if (await products.GetAsync(user.TenantId, productId, cancellationToken) is { } product)
            {
                known[productId] = product.Value;
            }
        }

        var results = new List<ImportRowResult>();
        foreach (var row in rows)
        {
            var (valid, errors) = ContractImports.Check(row, user.TenantId, known, now);
            if (valid is null)
            {
                results.Add(new ImportRowResult(row.Number, row["externalId"], ContractImports.Rejected, null, errors));
                continue;
            }

            var id = valid.Contract.Id;
            if (await contracts.GetAsync(user.TenantId, id, cancellationToken) is not null)
            {
                results.Add(new ImportRowResult(row.Number, valid.ExternalId, ContractImports.SkippedDuplicate, id, errors));
                continue;
            }

            // Recorded in the ledger first, as every sale is; no payment workflow: the money was collected elsewhere.
            var contract = await records.RecordAsync(valid.Contract, "imported", user.Subject, now, cancellationToken);
            try
            {
                await contracts.CreateAsync(user.TenantId, id, contract, cancellationToken);
                results.Add(new ImportRowResult(row.Number, valid.ExternalId, ContractImports.Imported, id, errors));
            }
            catch (ConflictException)
            {
                // An import of the same record running at the same time stored it first; the ledger entry written here vouches for nothing stored.
                results.Add(new ImportRowResult(row.Number, valid.ExternalId, ContractImports.SkippedDuplicate, id, errors));
            }
        }

        return TypedResults.Ok(new ContractImportReport(
            results.Count(r => r.Status == ContractImports.Imported), results.Count(r => r.Status == ContractImports.SkippedDuplicate),
            results.Count(r => r.Status == ContractImports.Rejected), results));
    }

    /// <summary>Reads at most <see cref="ImportFileReader.MaxBytes"/>, stopping there instead of buffering whatever a client sends.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > ImportFileReader.MaxBytes)
        {
            throw new StatusProblemException(413, "Payload too large", $"An import file is at most {ImportFileReader.MaxBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > ImportFileReader.MaxBytes)
            {
                throw new StatusProblemException(413, "Payload too large", $"An import file is at most {ImportFileReader.MaxBytes} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
