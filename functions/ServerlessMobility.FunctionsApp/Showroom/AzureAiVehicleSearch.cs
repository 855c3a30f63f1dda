using System.Globalization;
using System.Text;
using Azure;
using Azure.Core.Serialization;
using AzureGeoPoint = Azure.Core.GeoJson.GeoPoint;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Azure.Search.Documents.Indexes.Models;
using Azure.Search.Documents.Models;
using ServerlessMobility.Showroom.Inventory;
using ServerlessMobility.Showroom.Search;

namespace ServerlessMobility.FunctionsApp.Showroom;

/// <summary>
/// One vehicle as the Azure AI Search index holds it: the display values for hits and facets, lower-cased keys for the
/// filters (the local search matches make, model and colour in any case, and Azure's string filters are exact), the price
/// band computed once, and every phrase the autocomplete offers as a facetable collection.
/// </summary>
public sealed class VehicleSearchDocument
{
    [SimpleField(IsKey = true)]
    public string Key { get; set; } = string.Empty;

    [SimpleField(IsFilterable = true)]
    public string TenantId { get; set; } = string.Empty;

    [SimpleField(IsSortable = true)]
    public string Vin { get; set; } = string.Empty;

    [SearchableField(IsFacetable = true)]
    public string Make { get; set; } = string.Empty;

    [SearchableField(IsFacetable = true)]
    public string Model { get; set; } = string.Empty;

    [SearchableField]
    public string? Trim { get; set; }

    [SimpleField(IsFilterable = true)]
    public string MakeKey { get; set; } = string.Empty;

    [SimpleField(IsFilterable = true)]
    public string ModelKey { get; set; } = string.Empty;

    [SimpleField(IsFilterable = true)]
    public string ColourKey { get; set; } = string.Empty;

    [SimpleField(IsFilterable = true, IsFacetable = true, IsSortable = true)]
    public int Year { get; set; }

    [SimpleField(IsFilterable = true, IsFacetable = true)]
    public string Fuel { get; set; } = string.Empty;

    [SearchableField(IsFacetable = true)]
    public string Colour { get; set; } = string.Empty;

    [SimpleField]
    public int MileageKm { get; set; }

    [SimpleField(IsFilterable = true, IsSortable = true)]
    public double Price { get; set; }

    [SimpleField(IsFacetable = true)]
    public string PriceBand { get; set; } = string.Empty;

    [SimpleField]
    public string Currency { get; set; } = string.Empty;

    [SimpleField(IsFilterable = true)]
    public string Status { get; set; } = string.Empty;

    [SimpleField(IsFilterable = true, IsSortable = true)]
    public AzureGeoPoint? Location { get; set; }

    [SimpleField(IsSortable = true)]
    public DateTimeOffset AddedAt { get; set; }

    [SearchableField]
    public string? Description { get; set; }

    [SimpleField]
    public long Version { get; set; }

    /// <summary>Make, model, trim and their combinations: searched by the autocomplete's prefix and counted as a facet.</summary>
    [SearchableField(IsFacetable = true)]
    public IList<string> Phrases { get; init; } = [];

    public static string KeyOf(string tenantId, string vin) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{tenantId}/{vin}")).Replace('+', '-').Replace('/', '_');

    public static VehicleSearchDocument Of(InventoryVehicle vehicle)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        var s = vehicle.Specs;
        return new VehicleSearchDocument
        {
            Key = KeyOf(vehicle.TenantId, vehicle.Vin),
            TenantId = vehicle.TenantId,
            Vin = vehicle.Vin,
            Make = s.Make,
            Model = s.Model,
            Trim = s.Trim,
            MakeKey = s.Make.ToLowerInvariant(),
            ModelKey = s.Model.ToLowerInvariant(),
            ColourKey = s.Colour.ToLowerInvariant(),
            Year = s.Year,
            Fuel = s.Fuel.ToString(),
            Colour = s.Colour,
            MileageKm = s.MileageKm,
            Price = (double)s.Price,
            PriceBand = PriceBands.Of(s.Price),
            Currency = s.Currency,
            Status = vehicle.Status.ToString(),
            Location = new AzureGeoPoint(s.Location.Lon, s.Location.Lat),
            AddedAt = vehicle.AddedAt,
            Description = s.Description,
            Version = vehicle.Version,
            Phrases = [.. SearchPhrases.Of(s.Make, s.Model, s.Trim)],
        };
    }
}

/// <summary>
/// <see cref="IVehicleSearch"/> on Azure AI Search, for a Functions app that scales out (the Lucene index lives in one
/// process). One index for every dealership, each query filtered to the caller's; the index is created or updated on first
/// use. Writes reach it from the same committed-write path as the local index; a write older than the indexed version is
/// skipped after a read of the indexed version (Azure has no conditional merge on a field, so two writes of one vehicle
/// racing within that read may still land out of order; the next write of the vehicle corrects it).
/// </summary>
public sealed class AzureAiVehicleSearch : IVehicleSearch
{
    public const string SectionName = "Showroom:AzureAiSearch";
    public const int MaxFacetValues = 100;

    private readonly SearchIndexClient _indexes;
    private readonly SearchClient _search;
    private readonly string _indexName;
    private readonly Lock _readyLock = new();
    private Task? _indexReady;

    public AzureAiVehicleSearch(SearchIndexClient indexes, string indexName)
    {
        ArgumentNullException.ThrowIfNull(indexes);
        _indexes = indexes;
        _indexName = indexName;
        _search = indexes.GetSearchClient(indexName);
    }

    /// <summary>Both the index definition and the documents use these: camelCase names, as the filters below spell them.</summary>
    public static JsonObjectSerializer Serializer { get; } = new(new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));

    public static SearchClientOptions ClientOptions(SearchClientOptions? options = null)
    {
        var configured = options ?? new SearchClientOptions();
        configured.Serializer = Serializer;
        return configured;
    }

    public async Task IndexAsync(InventoryVehicle vehicle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vehicle);
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var document = VehicleSearchDocument.Of(vehicle);
        try
        {
            var indexed = await _search.GetDocumentAsync<VehicleSearchDocument>(document.Key, new GetDocumentOptions { SelectedFields = { "key", "version" } }, cancellationToken)
                .ConfigureAwait(false);
            if (indexed.Value.Version >= vehicle.Version)
            {
                return;
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Not indexed yet.
        }

        await _search.MergeOrUploadDocumentsAsync([document], new IndexDocumentsOptions { ThrowOnAnyError = true }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<VehicleSearchResult> SearchAsync(VehicleSearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var options = new SearchOptions
        {
            Filter = FilterOf(query),
            SearchMode = SearchMode.All,
            IncludeTotalCount = true,
            Skip = (query.Page - 1) * query.PageSize,
            Size = query.PageSize,
        };
        foreach (var facet in new[] { "make", "model", "year", "priceBand", "fuel", "colour" })
        {
            options.Facets.Add(string.Create(CultureInfo.InvariantCulture, $"{facet},count:{MaxFacetValues}"));
        }

        foreach (var order in OrderOf(query))
        {
            options.OrderBy.Add(order);
        }

        var response = await _search.SearchAsync<VehicleSearchDocument>(TextOf(query.Text), options, cancellationToken).ConfigureAwait(false);
        var hits = new List<VehicleSearchHit>();
        await foreach (var result in response.Value.GetResultsAsync().ConfigureAwait(false))
        {
            hits.Add(HitOf(result.Document, query.Near));
            if (hits.Count == query.PageSize)
            {
                break;
            }
        }

        var facets = response.Value.Facets ?? new Dictionary<string, IList<FacetResult>>();
        List<FacetCount> Facet(string name) =>
            [.. (facets.TryGetValue(name, out var values) ? values : []).Select(f => new FacetCount(Convert.ToString(f.Value, CultureInfo.InvariantCulture) ?? string.Empty, (int)(f.Count ?? 0)))
                .OrderByDescending(f => f.Count).ThenBy(f => f.Value, StringComparer.Ordinal)];
        return new VehicleSearchResult(hits, (int)(response.Value.TotalCount ?? hits.Count), query.Page, query.PageSize, new VehicleFacets(
            Facet("make"),
            Facet("model"),
            [.. Facet("year").OrderByDescending(f => f.Value, StringComparer.Ordinal)],
            [.. Facet("priceBand").OrderBy(f => PriceBands.Order(f.Value))],
            Facet("fuel"),
            Facet("colour")));
    }

    /// <summary>The phrases facet of the vehicles whose phrases start with the prefix: most stocked first, as the local search ranks them.</summary>
    public async Task<IReadOnlyList<string>> SuggestAsync(string tenantId, bool availableOnly, string prefix, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var normalized = SearchPhrases.Normalize(prefix);
        if (normalized.Length == 0)
        {
            return [];
        }

        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var options = new SearchOptions
        {
            Filter = FilterOf(new VehicleSearchQuery(tenantId, availableOnly)),
            SearchMode = SearchMode.All,
            Size = 0,
            Facets = { "phrases,count:1000" },
        };
        options.SearchFields.Add("phrases");
        var response = await _search.SearchAsync<VehicleSearchDocument>(TextOf(normalized), options, cancellationToken).ConfigureAwait(false);
        var phrases = response.Value.Facets is { } facets && facets.TryGetValue("phrases", out var values) ? values : [];
        return
        [
            .. phrases.Select(f => (Phrase: Convert.ToString(f.Value, CultureInfo.InvariantCulture) ?? string.Empty, Count: f.Count ?? 0))
                .Where(f => SearchPhrases.Normalize(f.Phrase).StartsWith(normalized, StringComparison.Ordinal))
                .OrderByDescending(f => f.Count).ThenBy(f => f.Phrase.Length).ThenBy(f => f.Phrase, StringComparer.Ordinal)
                .Take(max)
                .Select(f => f.Phrase),
        ];
    }

    /// <summary>Every word must match; the last also as the start of a word, so results follow typing. Without words, everything.</summary>
    public static string TextOf(string? text)
    {
        var words = (text ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Escape).Where(w => w.Length > 0).ToList();
        if (words.Count == 0)
        {
            return "*";
        }

        words[^1] += "*";
        return string.Join(' ', words);
    }

    /// <summary>The caller's dealership always; what is available for customers; then the query's filters.</summary>
    public static string FilterOf(VehicleSearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parts = new List<string> { $"tenantId eq {Literal(query.TenantId)}" };
        if (query.AvailableOnly)
        {
            parts.Add($"status eq {Literal(nameof(VehicleStatus.Available))}");
        }
        else if (query.Status is { } status)
        {
            parts.Add($"status eq {Literal(status.ToString())}");
        }

        void Key(string field, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add($"{field} eq {Literal(value.Trim().ToLowerInvariant())}");
            }
        }

        Key("makeKey", query.Make);
        Key("modelKey", query.Model);
        Key("colourKey", query.Colour);
        if (query.Fuel is { } fuel)
        {
            parts.Add($"fuel eq {Literal(fuel.ToString())}");
        }

        if (query.Year is { } year)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"year eq {year}"));
        }

        if (query.MinPrice is { } min)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"price ge {min}"));
        }

        if (query.MaxPrice is { } max)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"price le {max}"));
        }

        return string.Join(" and ", parts);
    }

    public static IReadOnlyList<string> OrderOf(VehicleSearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return query.Sort switch
        {
            VehicleSort.PriceAscending => ["price asc", "vin asc"],
            VehicleSort.PriceDescending => ["price desc", "vin asc"],
            VehicleSort.Distance when query.Near is { } near =>
                [string.Create(CultureInfo.InvariantCulture, $"geo.distance(location, geography'POINT({near.Lon} {near.Lat})') asc"), "vin asc"],
            VehicleSort.Newest => ["addedAt desc", "vin asc"],
            _ when string.IsNullOrWhiteSpace(query.Text) => ["addedAt desc", "vin asc"],
            _ => [],
        };
    }

    private static VehicleSearchHit HitOf(VehicleSearchDocument d, GeoPoint? near)
    {
        var location = new GeoPoint(d.Location?.Coordinates.Latitude ?? 0, d.Location?.Coordinates.Longitude ?? 0);
        return new VehicleSearchHit(d.Vin, d.Make, d.Model, d.Year, d.Trim, Enum.Parse<FuelType>(d.Fuel), d.Colour, d.MileageKm, (decimal)d.Price, d.Currency,
            Enum.Parse<VehicleStatus>(d.Status), location, d.AddedAt,
            near is null ? null : Math.Round(near.DistanceKmTo(location), 1));
    }

    /// <summary>OData string literal: single quotes doubled.</summary>
    private static string Literal(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";

    /// <summary>The simple query syntax's operators are searched as text, never obeyed.</summary>
    private static string Escape(string word)
    {
        var escaped = new StringBuilder(word.Length);
        foreach (var c in word)
        {
            if ("+|\"()*~-\\&!{}[]^:/?'".Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }

    /// <summary>The index is created once per instance; a failed attempt is not remembered, the next call tries again.</summary>
    private Task ReadyAsync(CancellationToken cancellationToken)
    {
        lock (_readyLock)
        {
            if (_indexReady is null || _indexReady.IsFaulted || _indexReady.IsCanceled)
            {
                _indexReady = EnsureIndexAsync();
            }

            return _indexReady.WaitAsync(cancellationToken);
        }
    }

    private async Task EnsureIndexAsync()
    {
        var index = new SearchIndex(_indexName, new FieldBuilder { Serializer = Serializer }.Build(typeof(VehicleSearchDocument)));
        await _indexes.CreateOrUpdateIndexAsync(index).ConfigureAwait(false);
    }
}
