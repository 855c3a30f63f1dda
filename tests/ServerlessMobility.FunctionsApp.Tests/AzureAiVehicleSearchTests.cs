using System.Text.Json;
using Azure.Core.Pipeline;
using Azure.Search.Documents;
using AzureKeyCredential = Azure.AzureKeyCredential;
using RequestFailedException = Azure.RequestFailedException;
using Azure.Search.Documents.Indexes;
using ServerlessMobility.FunctionsApp.Showroom;
using ServerlessMobility.Showroom.Inventory;
using ServerlessMobility.Showroom.Search;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ServerlessMobility.FunctionsApp.Tests;

/// <summary>
/// The showroom's search adapter for Azure AI Search against a WireMock stand-in of the service's REST API on loopback:
/// what it sends (the index definition, the documents, each query's filter, facets and order) and what it makes of the
/// answers. The query language itself is Azure's; these tests pin our half of the contract.
/// </summary>
public sealed class AzureAiVehicleSearchTests : IDisposable
{
    private const string Index = "showroom-vehicles";
    private static readonly DateTimeOffset AddedAt = new(2099, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly WireMockServer _server = WireMockServer.Start();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task FirstWrite_CreatesTheIndex_ThenUploadsTheVehicleWithItsFilterKeysBandAndPhrases()
    {
        StubIndexCreation();
        _server.Given(Request.Create().WithPath(new WildcardMatcher("/indexes('showroom-vehicles')/docs('*')")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithBodyAsJson(new { error = new { code = "", message = "Not found" } }));
        StubIndexing();

        await Search().IndexAsync(Vehicle("WSMAZ000000000001", "Tesla", "Model 3", "Long Range", 38_900m, version: 3), Ct);

        var definition = Body("PUT");
        var fields = definition.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.True(fields["key"].GetProperty("key").GetBoolean());
        Assert.True(fields["tenantId"].GetProperty("filterable").GetBoolean());
        Assert.True(fields["makeKey"].GetProperty("filterable").GetBoolean());
        Assert.Equal("Edm.GeographyPoint", fields["location"].GetProperty("type").GetString());
        Assert.Equal("Collection(Edm.String)", fields["phrases"].GetProperty("type").GetString());
        Assert.True(fields["phrases"].GetProperty("facetable").GetBoolean());
        Assert.True(fields["priceBand"].GetProperty("facetable").GetBoolean());

        var document = Assert.Single(Body("POST", "search.index").GetProperty("value").EnumerateArray());
        Assert.Equal("mergeOrUpload", document.GetProperty("@search.action").GetString());
        Assert.Equal(("dealer-a", "WSMAZ000000000001", "tesla", "model 3"), (document.GetProperty("tenantId").GetString(), document.GetProperty("vin").GetString(),
            document.GetProperty("makeKey").GetString(), document.GetProperty("modelKey").GetString()));
        Assert.Equal("30000-50000", document.GetProperty("priceBand").GetString());
        Assert.Equal([11.575, 48.137], document.GetProperty("location").GetProperty("coordinates").EnumerateArray().Select(c => c.GetDouble()));
        Assert.Equal(["Tesla", "Model 3", "Tesla Model 3", "Long Range", "Tesla Model 3 Long Range"], document.GetProperty("phrases").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(3, document.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task AWriteOlderThanTheIndexedVersion_IsSkipped()
    {
        StubIndexCreation();
        _server.Given(Request.Create().WithPath(new WildcardMatcher("/indexes('showroom-vehicles')/docs('*')")).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { key = "k", version = 7 }));
        StubIndexing();

        await Search().IndexAsync(Vehicle("WSMAZ000000000002", "BMW", "i4", null, 57_500m, version: 3), Ct);

        Assert.DoesNotContain(_server.LogEntries, e => e.RequestMessage.Path.EndsWith("search.index", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_SendsTheDealershipsFilter_FacetsAndOrder_AndMapsHitsFacetsAndDistance()
    {
        StubIndexCreation();
        _server.Given(Request.Create().WithPath(new WildcardMatcher("*/docs/search.post.search")).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new Dictionary<string, object>
        {
            ["@odata.count"] = 21,
            ["@search.facets"] = new Dictionary<string, object>
            {
                ["make"] = new[] { new { value = "BMW", count = 21 } },
                ["year"] = new[] { new { value = 2023, count = 1 }, new { value = 2024, count = 20 } },
                ["priceBand"] = new[] { new { value = "50000-75000", count = 20 }, new { value = "30000-50000", count = 1 } },
            },
            ["value"] = new[]
            {
                new Dictionary<string, object?>
                {
                    ["@search.score"] = 1.0, ["key"] = "k", ["tenantId"] = "dealer-a", ["vin"] = "WSMAZ000000000002", ["make"] = "BMW", ["model"] = "i4", ["trim"] = "eDrive40",
                    ["year"] = 2024, ["fuel"] = "Electric", ["colour"] = "Blue", ["mileageKm"] = 10, ["price"] = 57_500.0, ["currency"] = "EUR", ["status"] = "Available",
                    ["location"] = new { type = "Point", coordinates = new[] { 10.898, 48.371 } }, ["addedAt"] = AddedAt, ["version"] = 2,
                },
            },
        }));

        var result = await Search().SearchAsync(new VehicleSearchQuery("dealer-a", AvailableOnly: true, Text: "edrive", Make: "bmw", Fuel: FuelType.Electric, MaxPrice: 60_000m,
            Near: new GeoPoint(48.137, 11.575), Sort: VehicleSort.Distance, Page: 2, PageSize: 20), Ct);

        var query = Body("POST", "search.post.search");
        Assert.Equal("tenantId eq 'dealer-a' and status eq 'Available' and makeKey eq 'bmw' and fuel eq 'Electric' and price le 60000", query.GetProperty("filter").GetString());
        Assert.Equal("geo.distance(location, geography'POINT(11.575 48.137)') asc,vin asc", query.GetProperty("orderby").GetString());
        Assert.Equal(("edrive*", "all", true, 20, 20), (query.GetProperty("search").GetString(), query.GetProperty("searchMode").GetString(), query.GetProperty("count").GetBoolean(),
            query.GetProperty("skip").GetInt32(), query.GetProperty("top").GetInt32()));
        Assert.Equal(["make,count:100", "model,count:100", "year,count:100", "priceBand,count:100", "fuel,count:100", "colour,count:100"],
            query.GetProperty("facets").EnumerateArray().Select(f => f.GetString()));

        var hit = Assert.Single(result.Hits);
        Assert.Equal(("WSMAZ000000000002", FuelType.Electric, VehicleStatus.Available, 57_500m), (hit.Vin, hit.Fuel, hit.Status, hit.Price));
        Assert.InRange(hit.DistanceKm!.Value, 50, 60); // Munich to Augsburg
        Assert.Equal((21, 2), (result.Total, result.Page));
        Assert.Equal(["2024", "2023"], result.Facets.Year.Select(f => f.Value));
        Assert.Equal(["30000-50000", "50000-75000"], result.Facets.PriceBand.Select(f => f.Value));
        Assert.Empty(result.Facets.Colour);
    }

    [Fact]
    public async Task Suggest_CountsThePhrasesOfTheDealershipsStock_StartingWithThePrefix_MostStockedFirst()
    {
        StubIndexCreation();
        _server.Given(Request.Create().WithPath(new WildcardMatcher("*/docs/search.post.search")).UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new Dictionary<string, object>
        {
            ["@search.facets"] = new Dictionary<string, object>
            {
                ["phrases"] = new[] { new { value = "BMW i4", count = 1 }, new { value = "Tesla", count = 5 }, new { value = "BMW", count = 3 }, new { value = "i4", count = 1 } },
            },
            ["value"] = Array.Empty<object>(),
        }));

        var suggestions = await Search().SuggestAsync("dealer-a", availableOnly: true, " Bm ", 10, Ct);

        Assert.Equal(["BMW", "BMW i4"], suggestions);
        var query = Body("POST", "search.post.search");
        Assert.Equal(("bm*", "phrases", "tenantId eq 'dealer-a' and status eq 'Available'"),
            (query.GetProperty("search").GetString(), query.GetProperty("searchFields").GetString(), query.GetProperty("filter").GetString()));
    }

    [Fact]
    public async Task TheServiceRefusingTheApp_SurfacesItsStatus_AndTheIndexIsTriedAgainNextTime()
    {
        _server.Given(Request.Create().WithPath($"/indexes('{Index}')").UsingPut()).RespondWith(Response.Create().WithStatusCode(403).WithBodyAsJson(new { error = new { message = "Forbidden" } }));
        var search = Search();

        var refused = await Assert.ThrowsAsync<RequestFailedException>(() => search.SearchAsync(new VehicleSearchQuery("dealer-a", true), Ct));
        await Assert.ThrowsAsync<RequestFailedException>(() => search.SearchAsync(new VehicleSearchQuery("dealer-a", true), Ct));

        Assert.Equal(403, refused.Status);
        Assert.Equal(2, _server.LogEntries.Count(e => e.RequestMessage.Method == "PUT"));
    }

    [Theory]
    [InlineData(null, "*")]
    [InlineData("  ", "*")]
    [InlineData("tow ba", "tow ba*")]
    [InlineData("a+b (c) -d", @"a\+b \(c\) \-d*")]
    public void Text_EveryWordMustMatch_TheLastAsAPrefix_OperatorsAreText(string? text, string expected) => Assert.Equal(expected, AzureAiVehicleSearch.TextOf(text));

    [Fact]
    public void Filter_QuotesAreDoubled_SoAValueCannotWidenTheQueryBeyondTheDealership()
    {
        var filter = AzureAiVehicleSearch.FilterOf(new VehicleSearchQuery("dealer-a", false, Make: "x' or tenantId ne 'z", Status: VehicleStatus.Demo, Year: 2024, MinPrice: 1000.5m));

        Assert.Equal("tenantId eq 'dealer-a' and status eq 'Demo' and makeKey eq 'x'' or tenantid ne ''z' and year eq 2024 and price ge 1000.5", filter);
    }

    /// <summary>
    /// The search client accepts only an https endpoint; the stand-in speaks plain http on loopback, so the test's transport
    /// takes the client's https request to the same host and port over http (nothing else about the request changes).
    /// </summary>
    private AzureAiVehicleSearch Search()
    {
        var standIn = new Uri(_server.Url!);
        var options = AzureAiVehicleSearch.ClientOptions(new SearchClientOptions
        {
            Transport = new HttpClientTransport(new HttpClient(new PlainHttpOnLoopback(new HttpClientHandler()))),
            Retry = { MaxRetries = 0 },
        });
        return new AzureAiVehicleSearch(new SearchIndexClient(new UriBuilder(standIn) { Scheme = "https", Port = standIn.Port }.Uri, new AzureKeyCredential("test-key"), options), Index);
    }

    private sealed class PlainHttpOnLoopback(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { IsLoopback: true } uri)
            {
                request.RequestUri = new UriBuilder(uri) { Scheme = "http", Port = uri.Port }.Uri;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

    private void StubIndexCreation() =>
        _server.Given(Request.Create().WithPath($"/indexes('{Index}')").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(201).WithBodyAsJson(new { name = Index, fields = new[] { new { name = "key", type = "Edm.String", key = true } } }));

    private void StubIndexing() =>
        _server.Given(Request.Create().WithPath(new WildcardMatcher("*/docs/search.index")).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBodyAsJson(new { value = new[] { new { key = "k", status = true, statusCode = 201 } } }));

    /// <summary>The body of the one request of that method (and path ending), with the API key the service expects.</summary>
    private JsonElement Body(string method, string? pathEnd = null)
    {
        var request = Assert.Single(_server.LogEntries, e => e.RequestMessage.Method == method && (pathEnd is null || e.RequestMessage.Path.EndsWith(pathEnd, StringComparison.Ordinal))).RequestMessage;
        Assert.Equal("test-key", request.Headers!["api-key"].Single());
        return JsonDocument.Parse(request.Body!).RootElement.Clone();
    }

    private static InventoryVehicle Vehicle(string vin, string make, string model, string? trim, decimal price, long version) => new()
    {
        Id = vin,
        TenantId = "dealer-a",
        Specs = new VehicleSpecs(make, model, 2024, trim, FuelType.Electric, "White", 10, price, "EUR", new GeoPoint(48.137, 11.575), "Heat pump"),
        Status = VehicleStatus.Available,
        AddedAt = AddedAt,
        UpdatedAt = AddedAt,
        Version = version,
    };
}
