using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Workshop.Bookings;

public sealed record PutBayRequest(
    [property: StringLength(100), RegularExpression(InputFormats.Text)] string Name,
    [property: StringLength(64), RegularExpression(InputFormats.ClientId)] string Location);

/// <param name="Start">UTC time of day, "08:00:00".</param>
/// <param name="End">UTC time of day, after <paramref name="Start"/>; "23:59:59.9999999" for the end of the day.</param>
public sealed record ShiftRequest(DayOfWeek Day, TimeOnly Start, TimeOnly End);

public sealed record PutTechnicianRequest(
    [property: StringLength(100), RegularExpression(InputFormats.Text)] string Name,
    IReadOnlyList<string> Skills,
    IReadOnlyList<ShiftRequest> Shifts);

/// <summary>The workshop's bays and technicians, set by its staff (PUT: the same request twice leaves the same state).</summary>
public static class ResourcesEndpoints
{
    public const int MaxSkills = 20;

    public static async Task<Ok<Bay>> PutBayAsync(string id, PutBayRequest request, HttpContext http, [FromServices] ITenantRepository<Bay> bays, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(bays);
        WorkshopAccess.ValidateId(id, "id");
        if (!InputFormats.IsText(request.Name, 100))
        {
            throw RequestValidationException.For("name", "A name of at most 100 characters is required.");
        }

        WorkshopAccess.ValidateId(request.Location, "location");
        var user = CurrentUser.FromPrincipal(http.User);
        var bay = new Bay(id, user.TenantId, request.Name, request.Location);
        return TypedResults.Ok(await UpsertAsync(bays, user.TenantId, id, bay, cancellationToken));
    }

    public static async Task<Ok<Technician>> PutTechnicianAsync(string id, PutTechnicianRequest request, HttpContext http, [FromServices] ITenantRepository<Technician> technicians,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(technicians);
        WorkshopAccess.ValidateId(id, "id");
        var errors = new Dictionary<string, string[]>();
        if (!InputFormats.IsText(request.Name, 100))
        {
            errors["name"] = ["A name of at most 100 characters is required."];
        }

        if (request.Skills is null || request.Skills.Count is 0 or > MaxSkills || request.Skills.Any(s => !InputFormats.IsClientId(s, 40)))
        {
            errors["skills"] = [$"1 to {MaxSkills} skills of letters, digits, '-' or '_' (at most 40 each)."];
        }

        if (request.Shifts is null || request.Shifts.Count > 21 || request.Shifts.Any(s => s is null || !Enum.IsDefined(s.Day) || s.End <= s.Start))
        {
            errors["shifts"] = ["At most 21 shifts, each on a day of the week and ending after it starts."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var user = CurrentUser.FromPrincipal(http.User);
        var technician = new Technician(id, user.TenantId, request.Name, [.. request.Skills!.Select(s => s.ToLowerInvariant()).Distinct(StringComparer.Ordinal)],
            [.. request.Shifts!.Select(s => new Shift(s.Day, s.Start, s.End))]);
        return TypedResults.Ok(await UpsertAsync(technicians, user.TenantId, id, technician, cancellationToken));
    }

    private static async Task<T> UpsertAsync<T>(ITenantRepository<T> repository, string tenantId, string id, T item, CancellationToken cancellationToken)
        where T : class
    {
        var current = await repository.GetAsync(tenantId, id, cancellationToken);
        return current is null
            ? (await repository.CreateAsync(tenantId, id, item, cancellationToken)).Value
            : (await repository.ReplaceAsync(tenantId, id, item, current.ETag, cancellationToken)).Value;
    }
}
