using System.Net;
using Azure;
using Microsoft.Azure.Cosmos;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Storage.Tests;

/// <summary>Which of the SDKs' exceptions make a request answer 503 (a dependency is out for now) rather than 500.</summary>
public class AzureDependencyFailuresTests
{
    private static readonly IDependencyFailureClassifier[] Classifiers = [new AzureDependencyFailures()];

    private static CosmosException Cosmos(HttpStatusCode status) => new("cosmos says no", status, 0, "activity", 1);

    public static TheoryData<string, Exception, string?> Cases() => new()
    {
        { "Cosmos unavailable", Cosmos(HttpStatusCode.ServiceUnavailable), AzureDependencyFailures.CosmosDb },
        { "Cosmos throttling past the SDK's retries", Cosmos(HttpStatusCode.TooManyRequests), AzureDependencyFailures.CosmosDb },
        { "Cosmos request timeout", Cosmos(HttpStatusCode.RequestTimeout), AzureDependencyFailures.CosmosDb },
        { "Cosmos not found is ours", Cosmos(HttpStatusCode.NotFound), null },
        { "Cosmos bad request is ours", Cosmos(HttpStatusCode.BadRequest), null },
        { "Cosmos conflict is ours", Cosmos(HttpStatusCode.Conflict), null },
        { "storage unreachable (no status)", new RequestFailedException(0, "Connection refused (127.0.0.1:1)"), AzureDependencyFailures.AzureStorage },
        { "storage server busy", new RequestFailedException(503, "Server busy"), AzureDependencyFailures.AzureStorage },
        { "storage conflict is ours", new RequestFailedException(409, "The specified entity already exists"), null },
        { "storage not found is ours", new RequestFailedException(404, "Not found"), null },
        { "the retry policy's aggregate", new AggregateException("Retry failed after 4 tries", new RequestFailedException(0, "refused"), new RequestFailedException(0, "refused")), AzureDependencyFailures.AzureStorage },
        { "wrapped by our code", new InvalidOperationException("saving the order", Cosmos(HttpStatusCode.ServiceUnavailable)), AzureDependencyFailures.CosmosDb },
        { "a bare timeout", new TimeoutException("the call timed out"), "A dependency" },
        { "no answer from a partner's gateway", new HttpRequestException("Connection refused", new System.Net.Sockets.SocketException(111)), "A dependency" },
        { "a partner's gateway answered 400: ours", new HttpRequestException("Bad request", null, HttpStatusCode.BadRequest), null },
        { "a bug", new InvalidOperationException("sequence contains no elements"), null },
        { "a bug wrapping a bug", new InvalidOperationException("outer", new ArgumentException("inner")), null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Find_NamesTheDependency_OnlyForOutages(string reason, Exception exception, string? expected)
    {
        Assert.True(expected == DependencyFailures.Find(exception, Classifiers), reason);
    }

    [Fact]
    public void DependencyUnavailable_Is503_NamingTheDependencyButNotItsError()
    {
        var problem = ProblemDetailsExceptionHandler.DependencyUnavailable(AzureDependencyFailures.CosmosDb);

        Assert.Equal(503, problem.Status);
        Assert.Contains("Cosmos DB", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("Retry-After", problem.Detail, StringComparison.Ordinal);
    }
}
