using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Workshop.Jobs;
using ServerlessMobility.Workshop.Storage;

namespace ServerlessMobility.Workshop.Parts;

/// <param name="OnHand">The counted stock; not below what jobs hold reserved.</param>
public sealed record PutPartStockRequest(
    [property: StringLength(200), RegularExpression(InputFormats.Text)] string Description,
    [property: Range(0, double.MaxValue)] decimal UnitPrice,
    [property: RegularExpression(InputFormats.CurrencyCode)] string Currency,
    [property: Range(0, 1_000_000)] int OnHand,
    [property: Range(0, 1_000_000)] int ReorderLevel);

public sealed record PartStockView(string Sku, string Location, string Description, decimal UnitPrice, string Currency, int OnHand, int Reserved, int Available,
    int ReorderLevel, IReadOnlyList<PartReservation> Reservations, PurchaseOrderSuggestion? ReorderSuggestion)
{
    public static PartStockView Of(PartStock stock)
    {
        ArgumentNullException.ThrowIfNull(stock);
        return new(stock.Sku, stock.Location, stock.Description, stock.UnitPrice, stock.Currency, stock.OnHand, stock.Reserved, stock.Available, stock.ReorderLevel,
            stock.Reservations, stock.ReorderSuggestion());
    }
}

/// <summary>One line of a purchase order to write: the part's stock and what blocked jobs wait for (both 0 for a part never counted).</summary>
/// <param name="WaitingDemand">What jobs blocked for parts need here and could not reserve.</param>
/// <param name="Quantity">What to order.</param>
public sealed record ReorderSuggestionLine(string Sku, string Location, string? Description, int OnHand, int Available, int ReorderLevel, int WaitingDemand, int Quantity);

public sealed record ReorderSuggestionsView(IReadOnlyList<ReorderSuggestionLine> Suggestions);

/// <summary>Parts stock per SKU and location: counted by staff, reserved and consumed by jobs, with a purchase suggestion at the reorder level.</summary>
public static class PartsEndpoints
{
    public const int MaxQuantity = 1_000_000;

    /// <summary>
    /// Counts the stock. Jobs blocked waiting for this part then try their reservations again (oldest wait first) and go
    /// back to work once they hold everything; the answer is the stock after those reservations.
    /// </summary>
    public static async Task<Ok<PartStockView>> PutAsync(string location, string sku, PutPartStockRequest request, HttpContext http,
        [FromServices] ITenantRepository<PartStock> stock, [FromServices] ITenantRepository<ServiceJob> jobs, [FromServices] TimeProvider time,
        CancellationToken cancellationToken)
    {
        var counted = await CountAsync(location, sku, request, http, stock, cancellationToken);
        await JobPartReservations.RetryWaitingAsync(counted.TenantId, sku, location, jobs, stock, time, cancellationToken);
        var current = await stock.GetAsync(counted.TenantId, counted.Id, cancellationToken);
        return TypedResults.Ok(PartStockView.Of(current?.Value ?? counted));
    }

    /// <summary>
    /// What to order, per part at or below its reorder level once the demand of jobs blocked for parts is counted in,
    /// including parts those jobs wait for that were never counted. Both reads stay in the tenant's partition.
    /// </summary>
    public static async Task<Ok<ReorderSuggestionsView>> ReorderSuggestionsAsync(string? location, HttpContext http, [FromServices] ITenantRepository<PartStock> stock,
        [FromServices] ITenantRepository<ServiceJob> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(stock);
        ArgumentNullException.ThrowIfNull(jobs);
        if (location is not null)
        {
            WorkshopAccess.ValidateId(location, "location");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var items = location is null
            ? await stock.QueryAsync(user.TenantId, cancellationToken: cancellationToken)
            : await stock.QueryAsync(user.TenantId, "location", location, cancellationToken);
        var demand = (await jobs.QueryAsync(user.TenantId, "status", JobStatus.Blocked, cancellationToken))
            .SelectMany(j => j.MissingParts)
            .Where(m => location is null || string.Equals(m.Location, location, StringComparison.Ordinal))
            .GroupBy(m => PartStock.IdFor(m.Location, m.Sku), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.First().Sku, g.First().Location, Quantity: g.Sum(m => m.Quantity)), StringComparer.Ordinal);

        var lines = new List<ReorderSuggestionLine>();
        foreach (var item in items)
        {
            var waiting = demand.Remove(item.Id, out var d) ? d.Quantity : 0;
            if (item.ReorderSuggestion(waiting) is { } suggestion)
            {
                lines.Add(new ReorderSuggestionLine(item.Sku, item.Location, item.Description, item.OnHand, item.Available, item.ReorderLevel, waiting, suggestion.Quantity));
            }
        }

        foreach (var (sku, at, quantity) in demand.Values)
        {
            if (PartStock.ReorderSuggestionForUnstocked(sku, at, quantity) is { } suggestion)
            {
                lines.Add(new ReorderSuggestionLine(sku, at, null, 0, 0, 0, quantity, suggestion.Quantity));
            }
        }

        return TypedResults.Ok(new ReorderSuggestionsView([.. lines.OrderBy(l => l.Location, StringComparer.Ordinal).ThenBy(l => l.Sku, StringComparer.Ordinal)]));
    }

    private static async Task<PartStock> CountAsync(string location, string sku, PutPartStockRequest request, HttpContext http, ITenantRepository<PartStock> stock,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(stock);
        WorkshopAccess.ValidateId(location, "location");
        WorkshopAccess.ValidateId(sku, "sku");
        var errors = new Dictionary<string, string[]>();
        if (!InputFormats.IsText(request.Description, 200))
        {
            errors["description"] = ["A description of at most 200 characters is required."];
        }

        if (!Currency.IsValidCode(request.Currency))
        {
            errors["currency"] = ["An ISO 4217 code of three upper-case letters is required."];
        }
        else if (request.UnitPrice < 0 || !Currency.HasValidPrecision(request.UnitPrice, request.Currency))
        {
            errors["unitPrice"] = ["A non-negative price in the currency's minor units is required."];
        }

        if (request.OnHand is < 0 or > MaxQuantity)
        {
            errors["onHand"] = [$"Stock on hand is 0 to {MaxQuantity}."];
        }

        if (request.ReorderLevel is < 0 or > MaxQuantity)
        {
            errors["reorderLevel"] = [$"The reorder level is 0 to {MaxQuantity}."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var id = PartStock.IdFor(location, sku);
        if (await stock.GetAsync(user.TenantId, id, cancellationToken) is null)
        {
            try
            {
                var created = new PartStock
                {
                    Id = id, TenantId = user.TenantId, Sku = sku, Location = location, Description = request.Description, UnitPrice = request.UnitPrice,
                    Currency = request.Currency, OnHand = request.OnHand, ReorderLevel = request.ReorderLevel,
                };
                return (await stock.CreateAsync(user.TenantId, id, created, cancellationToken)).Value;
            }
            catch (ConflictException)
            {
                // Created concurrently: count it as an update of that one.
            }
        }

        var (updated, _) = await stock.UpdateAsync(user.TenantId, id, s =>
        {
            s.Description = request.Description;
            s.UnitPrice = request.UnitPrice;
            s.Currency = request.Currency;
            s.ReorderLevel = request.ReorderLevel;
            s.Count(request.OnHand);
            return true;
        }, "Part", cancellationToken);
        return updated;
    }

    public static async Task<Ok<PartStockView>> GetAsync(string location, string sku, HttpContext http, [FromServices] ITenantRepository<PartStock> stock,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(stock);
        var user = CurrentUser.FromPrincipal(http.User);
        var id = PartStock.IdFor(location, sku);
        var found = await stock.GetAsync(user.TenantId, id, cancellationToken) ?? throw new ResourceNotFoundException("Part", id);
        return TypedResults.Ok(PartStockView.Of(found.Value));
    }
}
