using System.Security.Cryptography;
using System.Text;
using ServerlessMobility.Showroom.Search;

namespace ServerlessMobility.Showroom.SavedSearches;

/// <summary>
/// A search a buyer or salesperson keeps to run again, under a name of their own in one dealership. Each run remembers
/// which vehicles matched, so the next run can tell what is new. Deleting keeps the document (the tenant repository
/// replaces, never removes) and hides it; saving the same name again brings it back with the new criteria.
/// </summary>
public sealed class SavedSearch
{
    /// <summary>How many matching vehicles a run looks at and remembers.</summary>
    public const int MaxTrackedMatches = 200;

    public required string Id { get; init; }

    public required string TenantId { get; init; }

    /// <summary>The subject of the person who saved it; nobody else of the dealership sees it.</summary>
    public required string Owner { get; init; }

    public required string Name { get; set; }

    public required SearchCriteria Criteria { get; set; }

    public required DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public bool Deleted { get; set; }

    public DateTimeOffset? LastRunAt { get; set; }

    public int Runs { get; set; }

    /// <summary>The VINs the last run matched.</summary>
    public List<string> LastMatches { get; set; } = [];

    /// <summary>One id per owner and name (case ignored): saving the same name twice finds the first, so a retried save creates nothing new.</summary>
    public static string IdFor(string owner, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{owner}\n{name.Trim().ToUpperInvariant()}"));
        return "ss-" + Convert.ToHexStringLower(hash.AsSpan(0, 12));
    }

    /// <summary>Records a run and answers which of <paramref name="matches"/> the previous run did not have (all of them on the first run).</summary>
    public IReadOnlyList<string> Record(IReadOnlyList<string> matches, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var previous = new HashSet<string>(LastMatches, StringComparer.Ordinal);
        var added = matches.Where(vin => !previous.Contains(vin)).ToList();
        LastMatches = [.. matches.Take(MaxTrackedMatches)];
        LastRunAt = at;
        Runs++;
        return added;
    }
}
