using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Showroom.Leads;
using ServerlessMobility.Showroom.Search;

namespace ServerlessMobility.Showroom.SavedSearches;

public sealed record SaveSearchRequest(string? Name, SearchCriteria? Criteria);

public sealed record SavedSearchView(string Id, string Name, SearchCriteria Criteria, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? LastRunAt, int Runs)
{
    public static SavedSearchView From(SavedSearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        return new(search.Id, search.Name, search.Criteria, search.CreatedAt, search.UpdatedAt, search.LastRunAt, search.Runs);
    }
}

/// <param name="NewMatches">VINs of <paramref name="Result"/>'s matches that the previous run did not have; every match on the first run.</param>
/// <param name="PreviousRunAt">Null on the first run.</param>
public sealed record SavedSearchRun(SavedSearchView Search, VehicleSearchResult Result, IReadOnlyList<string> NewMatches, DateTimeOffset? PreviousRunAt);

/// <summary>Searches kept under a name by the person who made them, run again on demand with what is new since the last run.</summary>
public static class SavedSearchesEndpoints
{
    public const int MaxNameLength = 80;
    public const int MaxPerPerson = 20;

    public static async Task<Results<Created<SavedSearchView>, Ok<SavedSearchView>>> SaveAsync(SaveSearchRequest request, HttpContext http,
        [FromServices] ITenantRepository<SavedSearch> searches, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(searches);
        ArgumentNullException.ThrowIfNull(time);
        var errors = request.Criteria?.Problems("criteria.") ?? new Dictionary<string, string[]>(StringComparer.Ordinal) { ["criteria"] = ["The search to keep is required."] };
        if (!InputFormats.IsText(request.Name, MaxNameLength))
        {
            errors["name"] = [$"1 to {MaxNameLength} characters, not blank."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var name = request.Name!.Trim();
        var criteria = request.Criteria!;
        var now = time.GetUtcNow();
        var id = SavedSearch.IdFor(user.Subject, name);
        var existing = await searches.GetAsync(user.TenantId, id, cancellationToken);
        if (existing is null)
        {
            await EnsureRoomAsync(user, searches, cancellationToken);
            var search = new SavedSearch { Id = id, TenantId = user.TenantId, Owner = user.Subject, Name = name, Criteria = criteria, CreatedAt = now, UpdatedAt = now };
            try
            {
                var created = await searches.CreateAsync(user.TenantId, id, search, cancellationToken);
                return TypedResults.Created($"/api/showroom/saved-searches/{id}", SavedSearchView.From(created.Value));
            }
            catch (ConflictException)
            {
                // The same save raced this one and won: fall through and answer what it stored.
            }
        }

        if (existing is { Value.Deleted: true })
        {
            await EnsureRoomAsync(user, searches, cancellationToken);
        }

        // Saving a name again keeps one search under it: same criteria is a retry and changes nothing; new criteria
        // replace the old (a deleted search of that name comes back), and the run history starts afresh.
        var (stored, _) = await searches.UpdateAsync(user.TenantId, id, search =>
        {
            if (!search.Deleted && search.Criteria == criteria)
            {
                return (false, false);
            }

            search.Criteria = criteria;
            search.Name = name;
            search.Deleted = false;
            search.LastMatches = [];
            search.LastRunAt = null;
            search.Runs = 0;
            search.UpdatedAt = now;
            return (true, true);
        }, "Saved search", ifMatch: null, cancellationToken);
        return TypedResults.Ok(SavedSearchView.From(stored.Value));
    }

    public static async Task<Ok<IReadOnlyList<SavedSearchView>>> ListAsync(HttpContext http, [FromServices] ITenantRepository<SavedSearch> searches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(searches);
        var user = CurrentUser.FromPrincipal(http.User);
        var mine = await searches.QueryAsync(user.TenantId, "owner", user.Subject, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<SavedSearchView>>([.. mine.Where(s => !s.Deleted).OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Select(SavedSearchView.From)]);
    }

    /// <summary>Runs the search now (up to <see cref="SavedSearch.MaxTrackedMatches"/> matches, in its order) and remembers what matched.</summary>
    public static async Task<Ok<SavedSearchRun>> RunAsync(string id, HttpContext http, [FromServices] ITenantRepository<SavedSearch> searches, [FromServices] IVehicleSearch search,
        [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(searches);
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var saved = await OwnAsync(id, user, searches, cancellationToken);
        var result = await search.SearchAsync(saved.Criteria.ToQuery(user, 1, SavedSearch.MaxTrackedMatches), cancellationToken);
        var matches = result.Hits.Select(h => h.Vin).ToList();
        var now = time.GetUtcNow();
        var (stored, run) = await searches.UpdateAsync(user.TenantId, saved.Id, current =>
        {
            var previousRunAt = current.LastRunAt;
            return (true, (New: current.Record(matches, now), PreviousRunAt: previousRunAt));
        }, "Saved search", ifMatch: null, cancellationToken);
        return TypedResults.Ok(new SavedSearchRun(SavedSearchView.From(stored.Value), result, run.New, run.PreviousRunAt));
    }

    public static async Task<NoContent> DeleteAsync(string id, HttpContext http, [FromServices] ITenantRepository<SavedSearch> searches, [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(searches);
        ArgumentNullException.ThrowIfNull(time);
        var user = CurrentUser.FromPrincipal(http.User);
        var saved = await OwnAsync(id, user, searches, cancellationToken);
        await searches.UpdateAsync(user.TenantId, saved.Id, search =>
        {
            search.Deleted = true;
            search.UpdatedAt = time.GetUtcNow();
            return (true, true);
        }, "Saved search", ifMatch: null, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The caller's own search: another person's, like a deleted one, is not found.</summary>
    private static async Task<SavedSearch> OwnAsync(string id, CurrentUser user, ITenantRepository<SavedSearch> searches, CancellationToken cancellationToken)
    {
        LeadsEndpoints.ValidateId(id, "id");
        var saved = await searches.GetAsync(user.TenantId, id, cancellationToken);
        return saved is { Value: { Deleted: false } search } && string.Equals(search.Owner, user.Subject, StringComparison.Ordinal)
            ? search
            : throw new ResourceNotFoundException("Saved search", id);
    }

    private static async Task EnsureRoomAsync(CurrentUser user, ITenantRepository<SavedSearch> searches, CancellationToken cancellationToken)
    {
        var mine = await searches.QueryAsync(user.TenantId, "owner", user.Subject, cancellationToken);
        if (mine.Count(s => !s.Deleted) >= MaxPerPerson)
        {
            throw new BusinessRuleException("showroom-saved-search-limit", $"A person keeps at most {MaxPerPerson} saved searches; delete one first.");
        }
    }
}
