using System.Net;
using Azure;
using Microsoft.Azure.Cosmos;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Storage;

/// <summary>
/// What the Cosmos DB and Azure Storage SDKs throw when the service is unreachable, overloaded past the SDK's own
/// retries, or timing out: a 503 for the client (Retry-After), not a 500. Their other errors (a 404 the code did not
/// expect, a 400 from a malformed query) stay 500s: they are ours to fix.
/// </summary>
public sealed class AzureDependencyFailures : IDependencyFailureClassifier
{
    public const string CosmosDb = "Cosmos DB";
    public const string AzureStorage = "Azure Storage";

    public string? UnavailableDependency(Exception exception) => exception switch
    {
        // The SDK's own timeout (it derives from OperationCanceledException, which a client's abort also is).
        CosmosOperationCanceledException => CosmosDb,
        CosmosException cosmos when IsTransient(cosmos.StatusCode) => CosmosDb,
        // In Gateway mode the SDK rethrows the socket's failure as it is once its retries are spent: only the frames
        // it passed through tell that it was Cosmos DB's endpoint that did not answer.
        HttpRequestException { StatusCode: null } network when ThrownThroughCosmos(network) => CosmosDb,
        // Status 0: no answer at all (connection refused or reset, DNS, TLS) after the SDK's retries.
        RequestFailedException storage when storage.Status == 0 || IsTransient((HttpStatusCode)storage.Status) => AzureStorage,
        _ => null,
    };

    private static bool ThrownThroughCosmos(Exception exception) => exception.StackTrace is { } frames
        && (frames.Contains("Microsoft.Azure.Cosmos.", StringComparison.Ordinal) || frames.Contains("Microsoft.Azure.Documents.", StringComparison.Ordinal));

    private static bool IsTransient(HttpStatusCode status) => status is HttpStatusCode.ServiceUnavailable or HttpStatusCode.RequestTimeout
        or HttpStatusCode.GatewayTimeout or HttpStatusCode.BadGateway or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError;
}
