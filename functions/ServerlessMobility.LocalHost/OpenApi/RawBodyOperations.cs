using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ServerlessMobility.LocalHost.OpenApi;

/// <summary>
/// Routes that read their raw body themselves (the KYC document upload checks the bytes, the service-contract import parses CSV, JSON or XML rows itself), so
/// the generator sees no request body: their body is declared here, with the content types the handler accepts.
/// </summary>
internal static class RawBodyOperations
{
    private static readonly Dictionary<string, (string Description, string[] ContentTypes)> Bodies = new(StringComparer.Ordinal)
    {
        ["UploadKycDocument"] = ("The identity document as raw bytes: JPEG, PNG or PDF (checked by Content-Type and by its first bytes), at most RentToOwn:Kyc:MaxDocumentBytes.",
            ["image/jpeg", "image/png", "application/pdf"]),
        ["ImportServiceContracts"] = ("The import file itself, at most 1 MiB and 1000 records: CSV with a header row, a JSON array of objects, or XML (one element per record). "
            + "Fields: externalId, customerId, jurisdiction, productId, vin, model, firstRegistered, odometerKm, startsAt, priceTotal, currency (docs/flows/service-contracts.md, \"Bulk import\").",
            ["text/csv", "application/json", "application/xml"]),
    };

    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var name = context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
        if (name is not null && Bodies.TryGetValue(name, out var body))
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = body.Description,
                Content = body.ContentTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } }),
            };
        }

        return Task.CompletedTask;
    }
}
