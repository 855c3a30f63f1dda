using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Documents;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.Platform;

namespace ServerlessMobility.RentToOwn.Plans;

/// <param name="Url">A signed download link of this version, valid until <paramref name="ExpiresAt"/>.</param>
public sealed record PlanStatementDocumentResponse(string DocumentId, int Version, string Number, string Sha256, DateTimeOffset IssuedAt, Uri Url, DateTimeOffset ExpiresAt);

/// <summary>
/// POST /api/plans/{id}/statement-documents: the plan statement as a PDF document, issued now (immutable, hash in
/// the audit ledger) and answered with a signed download link. Asking again while nothing on the plan changed
/// answers the same document, so a retried request issues nothing new. Who may read the plan may ask for it.
/// </summary>
public static class IssuePlanStatementDocument
{
    public static async Task<Ok<PlanStatementDocumentResponse>> IssueAsync(string id, HttpContext http, [FromServices] IPaymentPlanStore store,
        [FromServices] PlanDocuments documents, [FromServices] DocumentLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(links);
        var plan = await PlanEndpoints.LoadVisibleAsync(id, http, store, cancellationToken);
        var document = await documents.IssueStatementAsync(plan, cancellationToken);
        var link = links.Create(document.TenantId, document.DocumentId, document.Version);
        var url = new Uri($"{http.Request.Scheme}://{http.Request.Host}{ServerlessMobilityApi.RoutePrefix}/documents/download?{link.Query}");
        return TypedResults.Ok(new PlanStatementDocumentResponse(document.DocumentId, document.Version, document.Number, document.Sha256, document.IssuedAt, url, link.ExpiresAt));
    }
}
