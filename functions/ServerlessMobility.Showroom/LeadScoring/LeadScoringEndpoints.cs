using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Showroom.Leads;

namespace ServerlessMobility.Showroom.LeadScoring;

/// <param name="Rows">Synthetic leads to draw, 500 to 5,000 (a fifth is held out for the metrics); 2,000 when absent.</param>
/// <param name="Seed">The generator's seed; the same rows and seed give the same model. 22 when absent.</param>
public sealed record RetrainLeadModelRequest(
    [property: Range(LeadScoringOptions.MinTrainingRows, LeadScoringOptions.MaxTrainingRows)] int? Rows = null,
    [property: Range(0, int.MaxValue)] int? Seed = null);

/// <summary>A lead's chance of becoming a sale, with why; and retraining the model it comes from.</summary>
public static class LeadScoringEndpoints
{
    public static async Task<Ok<LeadScoreResult>> ScoreAsync(string id, HttpContext http, [FromServices] ITenantRepository<Lead> leads, [FromServices] LeadScorer scorer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(scorer);
        var lead = await LeadsEndpoints.LoadAsync(id, CurrentUser.FromPrincipal(http.User), leads, cancellationToken);
        return TypedResults.Ok(await scorer.ScoreAsync(lead.Value, cancellationToken));
    }

    /// <summary>Trains a new version on fresh synthetic rows, stores it and makes it current; answers its version and held-out metrics.</summary>
    public static async Task<Ok<LeadModelPointer>> RetrainAsync(RetrainLeadModelRequest request, HttpContext http, [FromServices] LeadScorer scorer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(scorer);
        if (request.Rows is < LeadScoringOptions.MinTrainingRows or > LeadScoringOptions.MaxTrainingRows)
        {
            throw RequestValidationException.For("rows", $"{LeadScoringOptions.MinTrainingRows} to {LeadScoringOptions.MaxTrainingRows} rows.");
        }

        if (request.Seed is < 0)
        {
            throw RequestValidationException.For("seed", "A seed of 0 or more.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        return TypedResults.Ok(await scorer.RetrainAsync(user.TenantId, request.Rows ?? 2000, request.Seed ?? SyntheticLeadGenerator.DefaultSeed, user.Subject, cancellationToken));
    }
}
