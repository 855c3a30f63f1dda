using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MiniExcelLibs;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Reporting;

/// <summary>The dealership's monthly contract report, as JSON or as an Excel workbook; the caller's tenant only.</summary>
public static class ContractReportsEndpoints
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void MapContractReports(this IEndpointRouteBuilder api)
    {
        var reports = api.MapGroup("/service-contract-reports").WithTags("Service contract reports");
        reports.MapGet("/monthly", MonthlyAsync).WithName("GetMonthlyContractReport").RequireRoles(PlatformRoles.DealerAdmin, PlatformRoles.DealerStaff, PlatformRoles.Admin);
        reports.MapGet("/monthly.xlsx", MonthlyWorkbookAsync).WithName("GetMonthlyContractReportWorkbook")
            .RequireRoles(PlatformRoles.DealerAdmin, PlatformRoles.DealerStaff, PlatformRoles.Admin)
            .Produces(StatusCodes.Status200OK, contentType: XlsxContentType);
    }

    /// <param name="from">The first month, YYYY-MM.</param>
    /// <param name="to">The last month, YYYY-MM: at most 36 months from <paramref name="from"/>.</param>
    public static async Task<Ok<MonthlyContractReport>> MonthlyAsync(string? from, string? to, HttpContext http, ITenantRepository<ServiceContract> contracts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ComputeAsync(from, to, http, contracts, cancellationToken));

    /// <param name="from">The first month, YYYY-MM.</param>
    /// <param name="to">The last month, YYYY-MM: at most 36 months from <paramref name="from"/>.</param>
    public static async Task<FileContentHttpResult> MonthlyWorkbookAsync(string? from, string? to, HttpContext http, ITenantRepository<ServiceContract> contracts, CancellationToken cancellationToken)
    {
        var report = await ComputeAsync(from, to, http, contracts, cancellationToken);
        return TypedResults.File(await WorkbookAsync(report, cancellationToken), XlsxContentType, $"service-contracts-{report.From}-{report.To}.xlsx");
    }

    /// <summary>Two sheets: the counts per month, and the revenue per month, jurisdiction and currency (one row each, never summed across currencies).</summary>
    public static async Task<byte[]> WorkbookAsync(MonthlyContractReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var months = report.Months.Select(m => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Month"] = m.Month,
            ["Sold"] = m.Sold,
            ["ActiveAtMonthEnd"] = m.ActiveAtMonthEnd,
            ["Expiring"] = m.Expiring,
            ["Cancelled"] = m.Cancelled,
            ["CancelledForNonPayment"] = m.CancelledForNonPayment,
            ["Renewed"] = m.Renewed,
            ["RenewalBase"] = m.RenewalBase,
            ["RenewalRate"] = m.RenewalRate,
        }).ToList();
        var revenue = report.Months.SelectMany(m => m.Revenue.Select(r => new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["Month"] = m.Month,
            ["Jurisdiction"] = r.Jurisdiction,
            ["Currency"] = r.Currency,
            ["Amount"] = r.Amount,
        })).ToList();
        var sheets = new Dictionary<string, object>(StringComparer.Ordinal) { ["Months"] = months, ["Revenue"] = revenue };
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheets, cancellationToken: cancellationToken);
        return stream.ToArray();
    }

    private static async Task<MonthlyContractReport> ComputeAsync(string? from, string? to, HttpContext http, ITenantRepository<ServiceContract> contracts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(contracts);
        var errors = new FieldErrors();
        errors.Check(ReportMonth.TryParse(from, out var first), "from", "The first month of the report, YYYY-MM.");
        errors.Check(ReportMonth.TryParse(to, out var last), "to", "The last month of the report, YYYY-MM.");
        errors.ThrowIfAny();
        errors.Check(last >= first, "to", "The last month cannot come before the first.");
        errors.Check(last < first || first.CountTo(last) <= MonthlyContractReports.MaxMonths, "to", $"A report covers at most {MonthlyContractReports.MaxMonths} months.");
        errors.ThrowIfAny();

        // One partition: the caller's tenant, whatever the query says.
        var user = CurrentUser.FromPrincipal(http.User);
        return MonthlyContractReports.Compute(await contracts.QueryAsync(user.TenantId, cancellationToken: cancellationToken), first, last);
    }
}
