using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Showroom.Inventory;

namespace ServerlessMobility.Showroom.Search;

/// <summary>
/// Vehicle search on Lucene.Net, in memory, one index per dealership (so no query can reach another tenant's stock).
/// A dealership's index is loaded from Cosmos the first time this process searches its stock, and from then on
/// kept in step by <see cref="IndexAsync"/>, which the inventory calls after every committed write. The local Cosmos
/// server has no usable change feed (docs/flows/showroom.md), so the index is fed by the writes themselves; each
/// process has its own index, which is right for the local host and not for a scaled-out deployment.
/// Facets are counted over the matched set here, not with Lucene.Net.Facet (not served where we restore): a
/// dealership's stock is thousands of vehicles at most.
/// </summary>
public sealed class LuceneVehicleSearch(ITenantRepository<InventoryVehicle> inventory) : IVehicleSearch, IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>Answers kept per dealership; past it the cache starts over (a bound on memory, not an LRU).</summary>
    private const int MaxCachedResults = 1_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, Lazy<Task<TenantIndex>>> _tenants = new(StringComparer.Ordinal);

    public async Task IndexAsync(InventoryVehicle vehicle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vehicle);

        // A dealership nobody searched yet is loaded from Cosmos, where this write already is. One being loaded is
        // awaited, then given the write: the version check keeps whichever of the two is newer.
        if (_tenants.TryGetValue(vehicle.TenantId, out var loading))
        {
            TenantIndex index;
            try
            {
                index = await loading.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (loading.Value.IsFaulted)
            {
                // The load failed (Cosmos unreachable): the write is committed, so it is not failed for this; the next
                // search loads the dealership again from Cosmos, this write included.
                return;
            }

            index.Upsert(vehicle);
        }
    }

    public async Task<VehicleSearchResult> SearchAsync(VehicleSearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var index = await TenantAsync(query.TenantId, cancellationToken).ConfigureAwait(false);

        // Tablets and shop windows repeat the same searches: an answer is kept until the dealership's next write, so
        // it is never stale, and a repeated search costs a dictionary lookup instead of a full match and facet count.
        var generation = index.Generation;
        if (index.Results.TryGetValue(query, out var cached) && cached.Generation == generation)
        {
            return cached.Result;
        }

        var result = Search(index, query);
        if (index.Results.Count >= MaxCachedResults)
        {
            index.Results.Clear();
        }

        index.Results[query] = (generation, result);
        return result;
    }

    private static VehicleSearchResult Search(TenantIndex index, VehicleSearchQuery query)
    {
        var filter = new BooleanQuery();
        Visibility(filter, query.AvailableOnly, query.Status);
        foreach (var token in Tokens(query.Text))
        {
            // Every word must match, the last one also as the start of a word (people search as they type).
            var word = new BooleanQuery { { new TermQuery(new Term(Fields.Text, token)), Occur.SHOULD }, { new PrefixQuery(new Term(Fields.Text, token)) { Boost = 0.5f }, Occur.SHOULD } };
            filter.Add(word, Occur.MUST);
        }

        Keyword(filter, Fields.Make, query.Make);
        Keyword(filter, Fields.Model, query.Model);
        Keyword(filter, Fields.Colour, query.Colour);
        Keyword(filter, Fields.Fuel, query.Fuel?.ToString());
        if (query.Year is { } year)
        {
            filter.Add(NumericRangeQuery.NewInt32Range(Fields.Year, year, year, true, true), Occur.MUST);
        }

        if (query.MinPrice is not null || query.MaxPrice is not null)
        {
            filter.Add(NumericRangeQuery.NewDoubleRange(Fields.Price, (double?)query.MinPrice, (double?)query.MaxPrice, true, true), Occur.MUST);
        }

        var matched = index.Search(filter);
        var hits = matched.Select(m => query.Near is { } near ? m.Hit with { DistanceKm = Math.Round(near.DistanceKmTo(m.Hit.Location), 1) } : m.Hit).ToList();
        var scores = matched.ToDictionary(m => m.Hit.Vin, m => m.Score, StringComparer.Ordinal);
        IOrderedEnumerable<VehicleSearchHit> ordered = query.Sort switch
        {
            VehicleSort.PriceAscending => hits.OrderBy(h => h.Price),
            VehicleSort.PriceDescending => hits.OrderByDescending(h => h.Price),
            VehicleSort.Distance => hits.OrderBy(h => h.DistanceKm ?? double.MaxValue),
            VehicleSort.Newest => hits.OrderByDescending(h => h.AddedAt),
            _ when string.IsNullOrWhiteSpace(query.Text) => hits.OrderByDescending(h => h.AddedAt),
            _ => hits.OrderByDescending(h => scores[h.Vin]),
        };
        var page = Platform.Http.Paging.Slice(ordered.ThenBy(h => h.Vin, StringComparer.Ordinal), query.Page, query.PageSize);
        return new VehicleSearchResult(page, hits.Count, query.Page, query.PageSize, FacetsOf(hits));
    }

    public async Task<IReadOnlyList<string>> SuggestAsync(string tenantId, bool availableOnly, string prefix, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var normalized = Normalize(prefix);
        if (normalized.Length == 0)
        {
            return [];
        }

        var index = await TenantAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var filter = new BooleanQuery { { new PrefixQuery(new Term(Fields.Suggest, normalized)), Occur.MUST } };
        Visibility(filter, availableOnly, null);
        return
        [
            .. index.Search(filter)
                .SelectMany(m => Suggestions(m.Hit).Where(s => Normalize(s).StartsWith(normalized, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal))
                .GroupBy(s => s, StringComparer.Ordinal)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key.Length).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Take(max)
                .Select(g => g.Key),
        ];
    }

    public void Dispose()
    {
        foreach (var tenant in _tenants.Values.Where(t => t.IsValueCreated && t.Value.IsCompletedSuccessfully))
        {
            tenant.Value.Result.Dispose();
        }
    }

    private async Task<TenantIndex> TenantAsync(string tenantId, CancellationToken cancellationToken)
    {
        var lazy = _tenants.GetOrAdd(tenantId, id => new Lazy<Task<TenantIndex>>(() => LoadAsync(id)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            // Cosmos was not reachable: the next search tries again instead of finding a broken index forever.
            _tenants.TryRemove(new KeyValuePair<string, Lazy<Task<TenantIndex>>>(tenantId, lazy));
            throw;
        }
    }

    private async Task<TenantIndex> LoadAsync(string tenantId)
    {
        // Not the caller's token: a load is shared by every search that waits for it.
        var stock = await inventory.QueryAsync(tenantId, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        var index = new TenantIndex();
        foreach (var vehicle in stock)
        {
            index.Upsert(vehicle);
        }

        return index;
    }

    private static void Visibility(BooleanQuery filter, bool availableOnly, VehicleStatus? status)
    {
        if (availableOnly)
        {
            filter.Add(new TermQuery(new Term(Fields.Status, nameof(VehicleStatus.Available))), Occur.MUST);
        }
        else if (status is { } wanted)
        {
            filter.Add(new TermQuery(new Term(Fields.Status, wanted.ToString())), Occur.MUST);
        }

        if (filter.Clauses.Count == 0 || filter.Clauses.All(c => c.Occur == Occur.MUST_NOT))
        {
            filter.Add(new MatchAllDocsQuery(), Occur.MUST);
        }
    }

    private static void Keyword(BooleanQuery filter, string field, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            filter.Add(new TermQuery(new Term(field, Normalize(value))), Occur.MUST);
        }
    }

    private static string Normalize(string value) => SearchPhrases.Normalize(value);

    private static List<string> Tokens(string? text)
    {
        var tokens = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return tokens;
        }

        using var analyzer = TenantIndex.NewAnalyzer();
        using var stream = analyzer.GetTokenStream(Fields.Text, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            tokens.Add(term.ToString());
        }

        stream.End();
        return tokens;
    }

    /// <summary>What a vehicle offers to autocomplete: its make, model and trim, alone and as the phrase a buyer types.</summary>
    private static IEnumerable<string> Suggestions(VehicleSearchHit hit) => SearchPhrases.Of(hit.Make, hit.Model, hit.Trim);

    private static VehicleFacets FacetsOf(List<VehicleSearchHit> hits)
    {
        static List<FacetCount> Count(IEnumerable<string> values) =>
            [.. values.GroupBy(v => v, StringComparer.Ordinal).Select(g => new FacetCount(g.Key, g.Count())).OrderByDescending(f => f.Count).ThenBy(f => f.Value, StringComparer.Ordinal)];

        return new VehicleFacets(
            Count(hits.Select(h => h.Make)),
            Count(hits.Select(h => h.Model)),
            [.. Count(hits.Select(h => h.Year.ToString(CultureInfo.InvariantCulture))).OrderByDescending(f => f.Value, StringComparer.Ordinal)],
            [.. Count(hits.Select(h => PriceBands.Of(h.Price))).OrderBy(f => PriceBands.Order(f.Value))],
            Count(hits.Select(h => h.Fuel.ToString())),
            Count(hits.Select(h => h.Colour)));
    }

    private static class Fields
    {
        public const string Vin = "vin";
        public const string Text = "text";
        public const string Make = "make";
        public const string Model = "model";
        public const string Colour = "colour";
        public const string Fuel = "fuel";
        public const string Status = "status";
        public const string Year = "year";
        public const string Price = "price";
        public const string Suggest = "suggest";
        public const string Hit = "hit";
    }

    private sealed record Match(VehicleSearchHit Hit, float Score);

    /// <summary>One dealership's index: a writer, a near-real-time searcher refreshed after each write, and the version indexed per VIN.</summary>
    private sealed class TenantIndex : IDisposable
    {
        private readonly System.Threading.Lock _writes = new();
        private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
        private readonly RAMDirectory _directory = new();
        private readonly StandardAnalyzer _analyzer = NewAnalyzer();
        private readonly IndexWriter _writer;
        private readonly SearcherManager _searchers;
        private long _generation;

        /// <summary>Raised by every write the index takes: an answer computed at an older generation is out of date.</summary>
        public long Generation => Interlocked.Read(ref _generation);

        /// <summary>Answers by query, with the generation they were computed at.</summary>
        public ConcurrentDictionary<VehicleSearchQuery, (long Generation, VehicleSearchResult Result)> Results { get; } = new();

        public TenantIndex()
        {
            _writer = new IndexWriter(_directory, new IndexWriterConfig(Version, _analyzer));
            _searchers = new SearcherManager(_writer, true, null);
        }

        /// <summary>No stop words: "Up" and "One" are model names.</summary>
        public static StandardAnalyzer NewAnalyzer() => new(Version, CharArraySet.Empty);

        public void Upsert(InventoryVehicle vehicle)
        {
            lock (_writes)
            {
                if (_versions.TryGetValue(vehicle.Id, out var indexed) && indexed >= vehicle.Version)
                {
                    return;
                }

                _writer.UpdateDocument(new Term(Fields.Vin, vehicle.Id), DocumentOf(vehicle));
                _writer.Commit();
                _versions[vehicle.Id] = vehicle.Version;
                _searchers.MaybeRefreshBlocking();
                Interlocked.Increment(ref _generation);
            }
        }

        public List<Match> Search(Query query)
        {
            var searcher = _searchers.Acquire();
            try
            {
                var top = searcher.Search(query, Math.Max(1, searcher.IndexReader.MaxDoc));
                return
                [
                    .. top.ScoreDocs.Select(d => new Match(JsonSerializer.Deserialize<VehicleSearchHit>(searcher.Doc(d.Doc).Get(Fields.Hit), Json)!, d.Score)),
                ];
            }
            finally
            {
                _searchers.Release(searcher);
            }
        }

        public void Dispose()
        {
            _searchers.Dispose();
            _writer.Dispose();
            _analyzer.Dispose();
            _directory.Dispose();
        }

        private static Document DocumentOf(InventoryVehicle vehicle)
        {
            var s = vehicle.Specs;
            var hit = new VehicleSearchHit(vehicle.Id, s.Make, s.Model, s.Year, s.Trim, s.Fuel, s.Colour, s.MileageKm, s.Price, s.Currency, vehicle.Status, s.Location, vehicle.AddedAt);
            var document = new Document
            {
                new StringField(Fields.Vin, vehicle.Id, Field.Store.YES),
                new TextField(Fields.Text, string.Join(' ', new[] { s.Make, s.Model, s.Trim, s.Colour, s.Description }.Where(t => !string.IsNullOrWhiteSpace(t))), Field.Store.NO),
                new StringField(Fields.Make, Normalize(s.Make), Field.Store.NO),
                new StringField(Fields.Model, Normalize(s.Model), Field.Store.NO),
                new StringField(Fields.Colour, Normalize(s.Colour), Field.Store.NO),
                new StringField(Fields.Fuel, Normalize(s.Fuel.ToString()), Field.Store.NO),
                new StringField(Fields.Status, vehicle.Status.ToString(), Field.Store.NO),
                new Int32Field(Fields.Year, s.Year, Field.Store.NO),
                new DoubleField(Fields.Price, (double)s.Price, Field.Store.NO),
                new StoredField(Fields.Hit, JsonSerializer.Serialize(hit, Json)),
            };
            foreach (var suggestion in Suggestions(hit).Select(Normalize).Distinct(StringComparer.Ordinal))
            {
                document.Add(new StringField(Fields.Suggest, suggestion, Field.Store.NO));
            }

            return document;
        }
    }
}
