using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Platform.Documents;

public sealed record DocumentLinkResponse(Uri Url, DateTimeOffset ExpiresAt, int Version, string Sha256);

/// <summary>
/// Issued documents are read only through short-lived signed links: the owner or the tenant's staff ask for a
/// link (POST /api/documents/{documentId}/links); whoever holds it downloads that one version until it expires
/// (GET /api/documents/download, no sign-in, so a mail client or browser can open it).
/// </summary>
public static class DocumentEndpoints
{
    public static void MapDocuments(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/documents").WithTags("Documents");
        group.MapPost("/{documentId}/links", CreateLinkAsync).WithName("CreateDocumentLink")
            .RequireRoles(PlatformRoles.Customer, PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin, PlatformRoles.Agent, PlatformRoles.Admin);
        group.MapGet("/download", DownloadAsync).WithName("DownloadDocument").AllowAnonymous()
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
    }

    public static async Task<Ok<DocumentLinkResponse>> CreateLinkAsync(string documentId, int? version, HttpContext http,
        [FromServices] IDocumentArchive archive, [FromServices] DocumentLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = CurrentUser.FromPrincipal(http.User);
        var document = version is { } v
            ? await archive.GetAsync(user.TenantId, documentId, v, cancellationToken)
            : await archive.GetLatestAsync(user.TenantId, documentId, cancellationToken);

        // Another customer's document answers as if it did not exist: its id tells nothing.
        var staff = !user.IsInRole(PlatformRoles.Customer) || user.Roles.Count > 1;
        if (document is null || (!staff && document.OwnerCustomerId != user.Subject))
        {
            throw new ResourceNotFoundException("document", documentId);
        }

        var link = links.Create(document.TenantId, document.DocumentId, document.Version);
        var url = new Uri($"{http.Request.Scheme}://{http.Request.Host}{ServerlessMobilityApi.RoutePrefix}/documents/download?{link.Query}");
        return TypedResults.Ok(new DocumentLinkResponse(url, link.ExpiresAt, document.Version, document.Sha256));
    }

    public static async Task<FileContentHttpResult> DownloadAsync(string? t, string? d, int? v, long? e, string? s,
        [FromServices] IDocumentArchive archive, [FromServices] DocumentLinks links, CancellationToken cancellationToken)
    {
        if (t is null || d is null || v is null || e is null || s is null || !links.IsValid(t, d, v.Value, e.Value, s))
        {
            throw new ForbiddenException("The link is not valid or has expired; ask for a new one.");
        }

        var document = await archive.GetAsync(t, d, v.Value, cancellationToken) ?? throw new ResourceNotFoundException("document", d);
        var bytes = await archive.ReadAsync(t, d, v.Value, cancellationToken) ?? throw new ResourceNotFoundException("document", d);
        return TypedResults.File(bytes, IssuedDocument.PdfContentType, document.FileName);
    }
}
