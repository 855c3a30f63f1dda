using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Showroom.Leads;

/// <param name="Active">Inactive salespeople keep their leads but get no new ones.</param>
public sealed record PutSalespersonRequest(
    [property: StringLength(LeadsEndpoints.MaxNameLength, MinimumLength = 1), RegularExpression(InputFormats.Text)] string Name,
    bool Active = true);

/// <summary>The dealership's sales roster, which lead assignment draws from.</summary>
public static class SalespeopleEndpoints
{
    /// <summary>Adds or updates a salesperson; the id is the subject of their token.</summary>
    public static async Task<Ok<Salesperson>> PutAsync(string id, PutSalespersonRequest request, HttpContext http, [FromServices] ITenantRepository<Salesperson> salespeople,
        [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(salespeople);
        ArgumentNullException.ThrowIfNull(time);
        LeadsEndpoints.ValidateId(id, "id");
        if (!InputFormats.IsText(request.Name, LeadsEndpoints.MaxNameLength))
        {
            throw RequestValidationException.For("name", $"A name of 1 to {LeadsEndpoints.MaxNameLength} characters is required.");
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var salesperson = new Salesperson(id, user.TenantId, request.Name, request.Active, time.GetUtcNow());
        for (var attempt = 1; ; attempt++)
        {
            var current = await salespeople.GetAsync(user.TenantId, id, cancellationToken);
            try
            {
                var stored = current is null
                    ? await salespeople.CreateAsync(user.TenantId, id, salesperson, cancellationToken)
                    : await salespeople.ReplaceAsync(user.TenantId, id, salesperson, current.ETag, cancellationToken);
                return TypedResults.Ok(stored.Value);
            }
            catch (ConflictException) when (attempt < 5)
            {
                // Written by someone else in between: the last write wins, as a PUT should.
            }
        }
    }
}
