using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MiniExcelLibs;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Showroom.Inventory;
using ServerlessMobility.Showroom.Leads;

namespace ServerlessMobility.Showroom.Analytics;

/// <summary>The dealership's sales funnel, conversion, sales and stock age, as JSON or as an Excel workbook; the caller's dealership only.</summary>
public static class SalesAnalyticsEndpoints
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Without a period: the 30 days ending today (UTC).</summary>
    public const int DefaultDays = 30;

    /// <param name="from">First day, YYYY-MM-DD (UTC), inclusive.</param>
    /// <param name="to">Last day, YYYY-MM-DD (UTC), inclusive; at most 366 days after <paramref name="from"/>.</param>
    public static async Task<Ok<SalesAnalyticsReport>> GetAsync(string? from, string? to, HttpContext http, [FromServices] ITenantRepository<Lead> leads,
        [FromServices] ITenantRepository<InventoryVehicle> inventory, [FromServices] TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ComputeAsync(from, to, http, leads, inventory, time, cancellationToken));

    /// <param name="from">First day, YYYY-MM-DD (UTC), inclusive.</param>
    /// <param name="to">Last day, YYYY-MM-DD (UTC), inclusive; at most 366 days after <paramref name="from"/>.</param>
    public static async Task<FileContentHttpResult> GetWorkbookAsync(string? from, string? to, HttpContext http, [FromServices] ITenantRepository<Lead> leads,
        [FromServices] ITenantRepository<InventoryVehicle> inventory, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        var report = await ComputeAsync(from, to, http, leads, inventory, time, cancellationToken);
        return TypedResults.File(await WorkbookAsync(report, cancellationToken), XlsxContentType,
            string.Create(CultureInfo.InvariantCulture, $"showroom-analytics-{report.From:yyyy-MM-dd}-{report.To:yyyy-MM-dd}.xlsx"));
    }

    /// <summary>Four sheets: Funnel, Conversion (one row per source and one for all), Sales (one row per currency, never summed across currencies), Stock (every vehicle in stock, oldest first).</summary>
    public static async Task<byte[]> WorkbookAsync(SalesAnalyticsReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var funnel = report.Funnel.Select(f => Row(("Stage", f.Stage.ToString()), ("Reached", f.Reached), ("ShareOfCaptured", f.ShareOfCaptured))).ToList();
        var conversion = report.Conversion.Select(c => Row(("Source", c.Source?.ToString() ?? "All"), ("Captured", c.Captured), ("Won", c.Won), ("Lost", c.Lost), ("Open", c.Open),
            ("ConversionRate", c.ConversionRate))).ToList();
        var sales = report.Sales.Select(s => Row(("Currency", s.Currency), ("Sales", s.Sales), ("Revenue", s.Revenue))).ToList();
        var stock = report.Stock.Vehicles.Select(v => Row(("Vin", v.Vin), ("Make", v.Make), ("Model", v.Model), ("Year", v.Year), ("Status", v.Status.ToString()), ("Price", v.Price),
            ("Currency", v.Currency), ("AddedAt", v.AddedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)), ("AgeDays", v.AgeDays))).ToList();
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal) { ["Funnel"] = funnel, ["Conversion"] = conversion, ["Sales"] = sales, ["Stock"] = stock };
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheets, cancellationToken: cancellationToken);
        return stream.ToArray();
    }

    private static Dictionary<string, object?> Row(params (string Column, object? Value)[] cells) => cells.ToDictionary(c => c.Column, c => c.Value, StringComparer.Ordinal);

    private static async Task<SalesAnalyticsReport> ComputeAsync(string? from, string? to, HttpContext http, ITenantRepository<Lead> leads, ITenantRepository<InventoryVehicle> inventory,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var last = Day(to, "to", today, errors);
        var first = Day(from, "from", last.AddDays(-(DefaultDays - 1)), errors);
        if (errors.Count == 0 && last < first)
        {
            errors["to"] = ["The last day cannot come before the first."];
        }
        else if (errors.Count == 0 && last.DayNumber - first.DayNumber + 1 > SalesAnalytics.MaxDays)
        {
            errors["to"] = [$"A report covers at most {SalesAnalytics.MaxDays} days."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        // Two queries, each inside the caller's dealership's partition whatever the query string says.
        var user = CurrentUser.FromPrincipal(http.User);
        var allLeads = await leads.QueryAsync(user.TenantId, cancellationToken: cancellationToken);
        var stock = await inventory.QueryAsync(user.TenantId, cancellationToken: cancellationToken);
        return SalesAnalytics.Compute(allLeads, stock, first, last, now);
    }

    private static DateOnly Day(string? value, string field, DateOnly fallback, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return fallback;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors[field] = ["A day, YYYY-MM-DD (UTC)."];
        return fallback;
    }
}
