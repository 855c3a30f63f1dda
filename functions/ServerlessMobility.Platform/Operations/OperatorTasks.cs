using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Security.Audit;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.Platform.Operations;

public enum OperatorTaskStatus
{
    Open,
    Resolved,
}

/// <summary>
/// Work that the platform could not finish by itself and hands to a person: money received for a flow
/// that had ended when the provider cannot refund it, a vehicle that may run a feature nobody paid for, a
/// workflow that was terminated in a state that needs a look. Stored per tenant (Cosmos, partition
/// /tenantId), listed by <c>GET /api/operator-tasks</c>, and audited when opened.
/// </summary>
/// <param name="Id">Made from the kind and the thing it is about, so opening the same task twice keeps one.</param>
/// <param name="Subject">What it is about: <c>order:{id}</c>, <c>feature-subscription:{id}</c>, <c>plan:{id}</c>.</param>
/// <param name="Amount">The money involved, when there is any.</param>
/// <param name="ProviderReference">The payment provider's id of the money, when there is any.</param>
/// <param name="OpenedBy">The part of the platform that opened it (<c>payments-webhook</c>, <c>feature-reconciler</c>, ...).</param>
public sealed record OperatorTask(
    string Id,
    string TenantId,
    string Kind,
    string Subject,
    string Detail,
    Money? Amount,
    string? ProviderReference,
    OperatorTaskStatus Status,
    DateTimeOffset OpenedAt,
    string OpenedBy);

public static class OperatorTaskKinds
{
    /// <summary>Money arrived for a finished or unknown flow and could not be refunded automatically.</summary>
    public const string RefundLatePayment = "refund-late-payment";

    /// <summary>A vehicle may run a feature whose purchase failed: switch it off by hand (deactivateFeature did not get through).</summary>
    public const string DeactivateUnpaidFeature = "deactivate-unpaid-feature";

    /// <summary>A feature activation workflow was terminated or failed while the feature was on: its end will not come by itself.</summary>
    public const string FeatureWorkflowEnded = "feature-workflow-ended";
}

/// <summary>Opens and lists operator tasks. Opening is idempotent by id: the first one wins and is audited once.</summary>
public sealed class OperatorTasks(ITenantRepository<OperatorTask> store, IAuditLedger audit, TimeProvider time)
{
    public const string Container = "operator-tasks";

    /// <summary>A storage-safe id for <paramref name="kind"/> about <paramref name="reference"/> (provider ids are hashed when they hold other characters).</summary>
    public static string IdFor(string kind, string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(reference);
        var safe = reference.Length <= 200 && reference.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? reference
            : "h-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(reference)));
        return $"{kind}.{safe}";
    }

    /// <returns>The stored task and whether this call opened it (false: it was open already).</returns>
    public async Task<(OperatorTask Task, bool Opened)> OpenAsync(string tenantId, string kind, string reference, string subject, string detail,
        Money? amount, string? providerReference, string openedBy, CancellationToken cancellationToken)
    {
        var id = IdFor(kind, reference);
        if (await store.GetAsync(tenantId, id, cancellationToken) is { } existing)
        {
            return (existing.Value, false);
        }

        var task = new OperatorTask(id, tenantId, kind, subject, detail, amount, providerReference, OperatorTaskStatus.Open, time.GetUtcNow(), openedBy);
        try
        {
            await store.CreateAsync(tenantId, id, task, cancellationToken);
        }
        catch (ConflictException)
        {
            // Opened concurrently by a repeated delivery: that copy stands.
            return ((await store.GetAsync(tenantId, id, cancellationToken))?.Value ?? task, false);
        }

        await audit.AppendAsync(new AuditEntry(tenantId, "system:" + openedBy, "operator-task.opened", $"/api/operator-tasks/{id}", string.Empty,
            AuditChain.HashContent(JsonSerializer.Serialize(task))), CancellationToken.None);
        return (task, true);
    }

    public async Task<IReadOnlyList<OperatorTask>> ListAsync(string tenantId, OperatorTaskStatus? status, CancellationToken cancellationToken)
    {
        var all = await store.QueryAsync(tenantId, cancellationToken: cancellationToken);
        return [.. all.Where(t => status is null || t.Status == status).OrderByDescending(t => t.OpenedAt)];
    }
}

/// <summary><c>GET /api/operator-tasks?status=Open|Resolved</c>: operators and admins see their own tenant's tasks.</summary>
public static class OperatorTaskEndpoints
{
    public static RouteGroupBuilder MapOperatorTasks(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/operator-tasks", ListAsync).WithName("ListOperatorTasks").WithTags("Operations")
            .RequireRoles(PlatformRoles.Operator, PlatformRoles.Admin, PlatformRoles.DealerAdmin);
        return api;
    }

    public static async Task<Ok<IReadOnlyList<OperatorTask>>> ListAsync(string? status, HttpContext http, OperatorTasks tasks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(tasks);
        OperatorTaskStatus? filter = null;
        if (status is not null)
        {
            if (!Enum.TryParse<OperatorTaskStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(status, out _))
            {
                throw RequestValidationException.For("status", "status is Open or Resolved.");
            }

            filter = parsed;
        }

        var user = CurrentUser.FromPrincipal(http.User);
        return TypedResults.Ok(await tasks.ListAsync(user.TenantId, filter, cancellationToken));
    }
}
