using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using ServerlessMobility.Core.Http;
using ServerlessMobility.Core.Security;

namespace ServerlessMobility.Core.Workflows.Management;

/// <summary>
/// The Durable Functions HTTP management API (same routes, payloads and status codes as the built-in
/// one under /runtime/webhooks/durabletask), written against <see cref="IWorkflowClient"/> only so both
/// hosts serve it. Operators run the platform, so they see and control the instances of every tenant.
/// Tenant staff (dealer staff and admins, agents, tenant admins) may read the status of their own
/// tenant's instances (the statusQueryGetUri of an order or plan), never change them; an instance of
/// another tenant answers 404, as one that does not exist.
/// </summary>
public static class DurableManagementApi
{
    public const string RoutePrefix = "/runtime/webhooks/durabletask";
    public const string ContinuationHeader = "x-ms-continuation-token";

    /// <summary>Who may read instance status: operators (every tenant) and tenant staff (their own tenant).</summary>
    public static IReadOnlyList<string> ReaderRoles { get; } =
        [PlatformRoles.Operator, PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin, PlatformRoles.Agent, PlatformRoles.Admin];

    private static readonly System.Buffers.SearchValues<char> ForbiddenIdCharacters = System.Buffers.SearchValues.Create("/\\#?'~");

    public static RouteGroupBuilder MapDurableManagementApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(RoutePrefix)
            .WithTags("Durable management");
        var read = group.MapGroup(string.Empty).RequireRoles([.. ReaderRoles]);
        read.MapGet("/instances/{instanceId}", GetStatusAsync).WithName("DurableGetStatus");
        read.MapGet("/instances", ListAsync).WithName("DurableListInstances");
        group = group.MapGroup(string.Empty).RequireRoles(PlatformRoles.Operator);
        group.MapPost("/orchestrators/{name}/{instanceId?}", StartAsync).WithName("DurableStartOrchestration");
        group.MapPost("/instances/{instanceId}/raiseEvent/{eventName}", RaiseEventAsync).WithName("DurableRaiseEvent");
        group.MapPost("/instances/{instanceId}/terminate", TerminateAsync).WithName("DurableTerminate");
        group.MapPost("/instances/{instanceId}/suspend", SuspendAsync).WithName("DurableSuspend");
        group.MapPost("/instances/{instanceId}/resume", ResumeAsync).WithName("DurableResume");
        group.MapDelete("/instances/{instanceId}", PurgeAsync).WithName("DurablePurgeInstance");
        group.MapDelete("/instances", PurgeManyAsync).WithName("DurablePurgeInstances");
        return group;
    }

    internal static async Task<IResult> StartAsync(string name, string? instanceId, HttpContext http, IWorkflowClient client, WorkflowRegistry registry, CancellationToken cancellationToken)
    {
        var user = CurrentUser.FromPrincipal(http.User);
        if (!registry.Workflows.ContainsKey(name))
        {
            throw new ResourceNotFoundException("Orchestrator function", name);
        }

        if (instanceId is not null && (instanceId.Length > 200 || instanceId.AsSpan().IndexOfAny(ForbiddenIdCharacters) >= 0 || instanceId.Any(char.IsControl)))
        {
            throw RequestValidationException.For("instanceId", "1 to 200 characters, none of / \\ # ? ' ~ or control characters.");
        }

        object? input = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            input = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, cancellationToken: cancellationToken);
        }

        if (instanceId is not null)
        {
            await GetOwnedAsync(client, user, instanceId, allowMissing: true, cancellationToken);
        }

        var id = await client.ScheduleNewAsync(name, input, new WorkflowStartOptions { InstanceId = instanceId, TenantId = user.TenantId }, cancellationToken);
        var payload = CheckStatusPayload.For(http.Request, id);
        http.Response.Headers.Location = payload.StatusQueryGetUri;
        return TypedResults.Json(payload, statusCode: StatusCodes.Status202Accepted);
    }

    internal static async Task<IResult> GetStatusAsync(string instanceId, HttpContext http, IWorkflowClient client, bool? showHistory, bool? showHistoryOutput, bool? showInput, CancellationToken cancellationToken)
    {
        var user = CurrentUser.FromPrincipal(http.User);
        var instance = await client.GetInstanceAsync(instanceId, includeInputsAndOutputs: true, includeHistory: showHistory == true, cancellationToken);
        if (instance is null || !IsVisibleTo(instance, user))
        {
            throw new ResourceNotFoundException("Orchestration instance", instanceId);
        }

        var status = StatusResponse.From(instance, showInput != false, showHistoryOutput == true);
        if (instance.RuntimeStatus.IsTerminal())
        {
            return TypedResults.Ok(status);
        }

        http.Response.Headers.Location = CheckStatusPayload.For(http.Request, instanceId).StatusQueryGetUri;
        return TypedResults.Json(status, statusCode: StatusCodes.Status202Accepted);
    }

    internal static async Task<IResult> ListAsync(HttpContext http, IWorkflowClient client, string? runtimeStatus, DateTimeOffset? createdTimeFrom, DateTimeOffset? createdTimeTo,
        string? instanceIdPrefix, int? top, bool? showInput, string? tenantId, CancellationToken cancellationToken)
    {
        var user = CurrentUser.FromPrincipal(http.User);
        if (tenantId is not null && !IsOperator(user))
        {
            // Only operators choose a tenant; everyone else is held to the one in their token.
            throw RequestValidationException.For("tenantId", "Only operators may filter by tenant.");
        }

        if (top is < 1 or > 1000)
        {
            throw RequestValidationException.For("top", "Between 1 and 1000.");
        }

        var page = await client.ListAsync(new WorkflowQuery
        {
            Statuses = ParseStatuses(runtimeStatus),
            CreatedFrom = createdTimeFrom,
            CreatedTo = createdTimeTo,
            InstanceIdPrefix = string.IsNullOrEmpty(instanceIdPrefix) ? null : instanceIdPrefix,
            TenantId = IsOperator(user) ? tenantId : user.TenantId,
            PageSize = top ?? 100,
            ContinuationToken = http.Request.Headers[ContinuationHeader].FirstOrDefault() is { Length: > 0 } token ? token : null,
            IncludeInputsAndOutputs = showInput == true,
        }, cancellationToken);
        if (page.ContinuationToken is not null)
        {
            http.Response.Headers[ContinuationHeader] = page.ContinuationToken;
        }

        return TypedResults.Ok(page.Instances.Select(i => StatusResponse.From(i, showInput == true, false)).ToList());
    }

    internal static async Task<IResult> RaiseEventAsync(string instanceId, string eventName, HttpContext http, IWorkflowClient client, CancellationToken cancellationToken)
    {
        var instance = await GetOwnedAsync(client, CurrentUser.FromPrincipal(http.User), instanceId, allowMissing: false, cancellationToken);
        if (instance!.RuntimeStatus.IsTerminal())
        {
            return Gone(instanceId, instance.RuntimeStatus);
        }

        object? payload = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            payload = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, cancellationToken: cancellationToken);
        }

        await client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    internal static Task<IResult> TerminateAsync(string instanceId, string? reason, HttpContext http, IWorkflowClient client, CancellationToken cancellationToken) =>
        ControlAsync(instanceId, http, client, (id, ct) => client.TerminateAsync(id, reason, ct), cancellationToken);

    internal static Task<IResult> SuspendAsync(string instanceId, string? reason, HttpContext http, IWorkflowClient client, CancellationToken cancellationToken) =>
        ControlAsync(instanceId, http, client, (id, ct) => client.SuspendAsync(id, reason, ct), cancellationToken);

    internal static Task<IResult> ResumeAsync(string instanceId, string? reason, HttpContext http, IWorkflowClient client, CancellationToken cancellationToken) =>
        ControlAsync(instanceId, http, client, (id, ct) => client.ResumeAsync(id, reason, ct), cancellationToken);

    internal static async Task<IResult> PurgeAsync(string instanceId, HttpContext http, IWorkflowClient client, CancellationToken cancellationToken)
    {
        var instance = await GetOwnedAsync(client, CurrentUser.FromPrincipal(http.User), instanceId, allowMissing: false, cancellationToken);
        if (!instance!.RuntimeStatus.IsTerminal())
        {
            throw new ConflictException($"Instance '{instanceId}' is {instance.RuntimeStatus}; only completed, failed or terminated instances can be purged.");
        }

        var purged = await client.PurgeAsync(instanceId, cancellationToken);
        return TypedResults.Ok(new PurgeResponse(purged));
    }

    internal static async Task<IResult> PurgeManyAsync(HttpContext http, IWorkflowClient client, string? runtimeStatus, DateTimeOffset? createdTimeFrom, DateTimeOffset? createdTimeTo, CancellationToken cancellationToken)
    {
        var user = CurrentUser.FromPrincipal(http.User);
        if (createdTimeFrom is null)
        {
            // As in Durable Functions: a bulk purge needs a lower bound, so one request cannot wipe everything by accident.
            throw RequestValidationException.For("createdTimeFrom", "Required for a bulk purge.");
        }

        var purged = await client.PurgeAsync(new WorkflowPurgeFilter
        {
            CreatedFrom = createdTimeFrom,
            CreatedTo = createdTimeTo,
            Statuses = ParseStatuses(runtimeStatus),
            TenantId = IsOperator(user) ? null : user.TenantId,
        }, cancellationToken);
        if (purged == 0)
        {
            throw new ResourceNotFoundException("Orchestration instances matching the filter", "*");
        }

        return TypedResults.Ok(new PurgeResponse(purged));
    }

    private static async Task<IResult> ControlAsync(string instanceId, HttpContext http, IWorkflowClient client, Func<string, CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        var instance = await GetOwnedAsync(client, CurrentUser.FromPrincipal(http.User), instanceId, allowMissing: false, cancellationToken);
        if (instance!.RuntimeStatus.IsTerminal())
        {
            return Gone(instanceId, instance.RuntimeStatus);
        }

        await action(instanceId, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>An instance of another tenant is reported as missing (never say which).</summary>
    private static async Task<WorkflowInstance?> GetOwnedAsync(IWorkflowClient client, CurrentUser user, string instanceId, bool allowMissing, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(instanceId, includeInputsAndOutputs: false, cancellationToken: cancellationToken);
        if (instance is not null && !IsVisibleTo(instance, user))
        {
            throw new ResourceNotFoundException("Orchestration instance", instanceId);
        }

        if (instance is null && !allowMissing)
        {
            throw new ResourceNotFoundException("Orchestration instance", instanceId);
        }

        return instance;
    }

    /// <summary>
    /// Operators see every instance. Anyone else sees only instances started for their tenant: an instance
    /// without a tenant (a platform-level flow) is an operator's concern, so it is hidden from tenant staff.
    /// </summary>
    private static bool IsVisibleTo(WorkflowInstance instance, CurrentUser user) =>
        IsOperator(user) || (instance.TenantId is not null && string.Equals(instance.TenantId, user.TenantId, StringComparison.Ordinal));

    private static bool IsOperator(CurrentUser user) => user.IsInRole(PlatformRoles.Operator);

    private static ProblemHttpResult Gone(string instanceId, WorkflowRuntimeStatus status) =>
        TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Gone", detail: $"Instance '{instanceId}' is already {status}.");

    private static List<WorkflowRuntimeStatus>? ParseStatuses(string? runtimeStatus)
    {
        if (string.IsNullOrWhiteSpace(runtimeStatus))
        {
            return null;
        }

        var statuses = new List<WorkflowRuntimeStatus>();
        foreach (var part in runtimeStatus.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<WorkflowRuntimeStatus>(part, ignoreCase: true, out var status) || !Enum.IsDefined(status))
            {
                throw RequestValidationException.For("runtimeStatus", $"'{part}' is not one of {string.Join(", ", Enum.GetNames<WorkflowRuntimeStatus>())}.");
            }

            statuses.Add(status);
        }

        return statuses;
    }
}

/// <summary>The check-status payload Durable Functions returns when an orchestration is started.</summary>
public sealed record CheckStatusPayload(
    string Id,
    string StatusQueryGetUri,
    string SendEventPostUri,
    string TerminatePostUri,
    string PurgeHistoryDeleteUri,
    string SuspendPostUri,
    string ResumePostUri)
{
    public static CheckStatusPayload For(HttpRequest request, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var instance = $"{request.Scheme}://{request.Host}{DurableManagementApi.RoutePrefix}/instances/{Uri.EscapeDataString(instanceId)}";
        return new CheckStatusPayload(
            instanceId,
            instance,
            instance + "/raiseEvent/{eventName}",
            instance + "/terminate?reason={text}",
            instance,
            instance + "/suspend?reason={text}",
            instance + "/resume?reason={text}");
    }
}

/// <summary>The status payload of GET /instances/{id}, with Durable Functions' field names.</summary>
public sealed record StatusResponse(
    string Name,
    string InstanceId,
    string RuntimeStatus,
    JsonNode? Input,
    JsonNode? CustomStatus,
    JsonNode? Output,
    DateTimeOffset CreatedTime,
    DateTimeOffset LastUpdatedTime,
    IReadOnlyList<HistoryEventResponse>? HistoryEvents)
{
    public static StatusResponse From(WorkflowInstance instance, bool includeInput, bool includeHistoryOutput)
    {
        ArgumentNullException.ThrowIfNull(instance);
        JsonNode? output = instance.RuntimeStatus == WorkflowRuntimeStatus.Failed && instance.FailureDetails is { } failure
            ? JsonValue.Create($"{failure.ErrorType}: {failure.ErrorMessage}")
            : Parse(instance.SerializedOutput);
        return new StatusResponse(
            instance.Name,
            instance.InstanceId,
            instance.RuntimeStatus.ToString(),
            includeInput ? Parse(instance.SerializedInput) : null,
            Parse(instance.SerializedCustomStatus),
            output,
            instance.CreatedAt,
            instance.LastUpdatedAt,
            instance.History?.Select(e => HistoryEventResponse.From(e, includeHistoryOutput)).ToList());
    }

    internal static JsonNode? Parse(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}

public sealed record HistoryEventResponse(
    string EventType,
    int EventId,
    DateTimeOffset Timestamp,
    string? Name,
    int? ScheduledId,
    DateTimeOffset? FireAt,
    JsonNode? Result,
    WorkflowFailureDetails? FailureDetails)
{
    public static HistoryEventResponse From(WorkflowHistoryEvent e, bool includeOutput)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new HistoryEventResponse(e.EventType, e.EventId, e.Timestamp, e.Name, e.ScheduledId, e.FireAt,
            includeOutput ? StatusResponse.Parse(e.SerializedPayload) : null,
            e.FailureDetails is null ? null : e.FailureDetails with { StackTrace = null });
    }
}

public sealed record PurgeResponse(int InstancesDeleted);

