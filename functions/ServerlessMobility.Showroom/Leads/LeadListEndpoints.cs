using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Showroom.Leads;

/// <summary>One lead of a list. Contact details stay on the lead itself (GET /api/showroom/leads/{id}), so a list shown on a desk screen carries no e-mail or phone.</summary>
/// <param name="LastActivity">The latest call, e-mail, visit, note or merged contact; null when nothing was logged yet.</param>
public sealed record LeadListItem(
    string Id,
    string Name,
    LeadSource Source,
    LeadStage Stage,
    string? AssignedTo,
    string? VehicleOfInterest,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    LeadActivity? LastActivity);

/// <param name="Next">Pass as <c>after</c> for the next page; null on the last page.</param>
public sealed record LeadListPage(IReadOnlyList<LeadListItem> Items, string? Next);

/// <summary>The dealership's leads for the sales desk, newest first, inside the caller's tenant partition.</summary>
public static class LeadListEndpoints
{
    public const int DefaultTop = 50;
    public const int MaxTop = 200;
    public const int MaxCursorLength = 100;

    /// <param name="stage">One or more stages (repeat the parameter); all stages when absent.</param>
    /// <param name="assignedTo">The salesperson id the leads are assigned to.</param>
    /// <param name="source">Where the leads first came from.</param>
    /// <param name="top">The page size, 1 to 200 (50 when absent).</param>
    /// <param name="after">The <c>next</c> of the previous page.</param>
    public static async Task<Ok<LeadListPage>> ListAsync(LeadStage[]? stage, [StringLength(LeadsEndpoints.MaxIdLength), RegularExpression(InputFormats.ClientId)] string? assignedTo,
        LeadSource? source, [Range(1, MaxTop)] int? top, [StringLength(MaxCursorLength)] string? after, HttpContext http, [FromServices] ITenantRepository<Lead> leads,
        [FromServices] LeadCapturing capturing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(capturing);

        // Enum binding also takes numbers ("stage=9"): only the named values are filters.
        if (stage is not null && stage.Any(s => !Enum.IsDefined(s)))
        {
            throw RequestValidationException.For("stage", $"One or more of {string.Join(", ", Enum.GetNames<LeadStage>())}.");
        }

        if (source is { } s && !Enum.IsDefined(s))
        {
            throw RequestValidationException.For("source", $"One of {string.Join(", ", Enum.GetNames<LeadSource>())}.");
        }

        if (assignedTo is not null)
        {
            LeadsEndpoints.ValidateId(assignedTo, "assignedTo");
        }

        var count = top ?? DefaultTop;
        if (count is < 1 or > MaxTop)
        {
            throw RequestValidationException.For("top", $"top is 1 to {MaxTop}.");
        }

        var cursor = after is null ? null : Cursor.Parse(after);
        var user = CurrentUser.FromPrincipal(http.User);
        var stages = stage is { Length: > 0 } ? stage.ToHashSet() : null;

        // One query in the tenant's partition; the salesperson filter, when given, is the store's, the rest is applied here.
        var found = await leads.QueryAsync(user.TenantId, assignedTo is null ? null : "assignedTo", assignedTo, cancellationToken);
        var page = found
            .Where(l => stages is null || stages.Contains(l.Stage))
            .Where(l => source is null || l.Source == source)
            .OrderByDescending(l => l.CreatedAt).ThenBy(l => l.Id, StringComparer.Ordinal)
            .Where(l => cursor is null || cursor.Precedes(l))
            .Take(count + 1)
            .ToList();
        var items = page.Take(count).Select(capturing.ListItem).ToList();
        return TypedResults.Ok(new LeadListPage(items, page.Count > count ? Cursor.Of(page[count - 1]) : null));
    }

    /// <summary>Where a page ended: the last lead's creation instant and id, the order's two keys.</summary>
    private sealed record Cursor(long CreatedTicks, string Id)
    {
        public static string Of(Lead lead) => string.Create(CultureInfo.InvariantCulture, $"{lead.CreatedAt.UtcTicks}.{lead.Id}");

        public static Cursor Parse(string text)
        {
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0 && long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
                && InputFormats.IsClientId(text[(dot + 1)..], LeadsEndpoints.MaxIdLength))
            {
                return new Cursor(ticks, text[(dot + 1)..]);
            }

            throw RequestValidationException.For("after", "The next of a previous page is required.");
        }

        /// <summary>Whether the lead comes after this cursor, newest first and then by id.</summary>
        public bool Precedes(Lead lead) =>
            lead.CreatedAt.UtcTicks < CreatedTicks || (lead.CreatedAt.UtcTicks == CreatedTicks && string.CompareOrdinal(lead.Id, Id) > 0);
    }
}
