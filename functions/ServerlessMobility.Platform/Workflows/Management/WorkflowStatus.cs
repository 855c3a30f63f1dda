using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DurableTask.Core.History;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Platform.Workflows.Management;

/// <summary>
/// Who may see which instance. Operators run the platform and see every instance. Tenant staff see the
/// instances of their own tenant: the instance id starts with the tenant (<see cref="WorkflowInstanceIds"/>).
/// Anything else answers as if it did not exist.
/// </summary>
public static class WorkflowVisibility
{
    /// <summary>Who may read instance status: operators (every tenant) and tenant staff (their own tenant).</summary>
    public static IReadOnlyList<string> ReaderRoles { get; } =
        [PlatformRoles.Operator, PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin, PlatformRoles.Agent, PlatformRoles.Admin];

    public static bool IsOperator(CurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(PlatformRoles.Operator);
    }

    public static bool IsVisibleTo(string instanceId, CurrentUser user) =>
        IsOperator(user) || WorkflowInstanceIds.BelongsTo(instanceId, user.TenantId);

    /// <summary>Reads an instance the caller may see, or throws a 404 that does not say whether it exists.</summary>
    public static async Task<OrchestrationMetadata> GetVisibleAsync(DurableTaskClient client, CurrentUser user, string instanceId, bool getInputsAndOutputs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var instance = IsVisibleTo(instanceId, user) ? await client.GetInstanceAsync(instanceId, getInputsAndOutputs, cancellationToken) : null;
        return instance ?? throw new Http.ResourceNotFoundException("Orchestration instance", instanceId);
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
    /// <param name="apiBase">The absolute URI of the management API's prefix the request came in on, so every URI leads back the same way.</param>
    public static CheckStatusPayload For(string apiBase, string instanceId)
    {
        var instance = $"{apiBase}/instances/{Uri.EscapeDataString(instanceId)}";
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

/// <summary>The status payload of an instance, with Durable Functions' field names.</summary>
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
    /// <summary>
    /// Set only when the history was asked for and the host's Durable client cannot read it: why
    /// <see cref="HistoryEvents"/> is missing, so a caller can tell "no history here" from "not asked for".
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HistoryUnavailable { get; init; }

    /// <param name="showFailureDetails">
    /// Operators see what failed (error type and message) as the output of a failed instance; tenant staff see
    /// only that it failed, since exception texts are internals (they are in the logs under the instance id).
    /// </param>
    public static StatusResponse From(OrchestrationMetadata instance, bool includeInput, bool showFailureDetails, IReadOnlyList<HistoryEventResponse>? history = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        JsonNode? output = instance.RuntimeStatus == OrchestrationRuntimeStatus.Failed
            ? JsonValue.Create(showFailureDetails && instance.FailureDetails is { } failure
                ? $"{failure.ErrorType}: {failure.ErrorMessage}"
                : "The workflow failed; operators can see why in the logs under this instance id.")
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
            history);
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
        catch (System.Text.Json.JsonException)
        {
            return JsonValue.Create(json);
        }
    }
}

/// <summary>One event of an instance's history, as <c>showHistory=true</c> lists it.</summary>
public sealed record HistoryEventResponse(
    string EventType,
    int EventId,
    DateTimeOffset Timestamp,
    string? Name,
    int? ScheduledId,
    DateTimeOffset? FireAt,
    JsonNode? Result,
    HistoryFailure? FailureDetails)
{
    /// <param name="showFailureDetails">
    /// Operators see the error type and message of a failed step; tenant staff see that it failed and where to look
    /// (the logs, under the instance id), never exception types or messages, which are internals.
    /// </param>
    public static HistoryEventResponse From(HistoryEvent e, bool includeOutput, bool showFailureDetails)
    {
        ArgumentNullException.ThrowIfNull(e);
        EventFields fields = e switch
        {
            ContinueAsNewEvent continued => (null, null, null, continued.Result, null),
            ExecutionStartedEvent started => (started.Name, null, null, started.Input, null),
            ExecutionCompletedEvent completed => (null, null, null, completed.Result, completed.FailureDetails),
            TaskScheduledEvent scheduled => (scheduled.Name, null, null, scheduled.Input, null),
            TaskCompletedEvent taskCompleted => (null, taskCompleted.TaskScheduledId, null, taskCompleted.Result, null),
            TaskFailedEvent taskFailed => (null, taskFailed.TaskScheduledId, null, null, taskFailed.FailureDetails),
            SubOrchestrationInstanceCreatedEvent subCreated => (subCreated.Name, null, null, subCreated.Input, null),
            SubOrchestrationInstanceCompletedEvent subCompleted => (null, subCompleted.TaskScheduledId, null, subCompleted.Result, null),
            SubOrchestrationInstanceFailedEvent subFailed => (null, subFailed.TaskScheduledId, null, null, subFailed.FailureDetails),
            TimerCreatedEvent timerCreated => (null, null, timerCreated.FireAt, null, null),
            TimerFiredEvent timerFired => (null, timerFired.TimerId, timerFired.FireAt, null, null),
            EventRaisedEvent raised => (raised.Name, null, null, raised.Input, null),
            EventSentEvent sent => (sent.Name, null, null, sent.Input, null),
            ExecutionTerminatedEvent terminated => (null, null, null, terminated.Input, null),
            _ => (null, null, null, null, null),
        };
        var (name, scheduledId, fireAt, payload, failure) = fields;
        var failed = failure is not null || e is TaskFailedEvent or SubOrchestrationInstanceFailedEvent
            || (e is ExecutionCompletedEvent completedEvent && completedEvent.OrchestrationStatus == DurableTask.Core.OrchestrationStatus.Failed);
        if (failed && !showFailureDetails)
        {
            // A failed step's result carries the error text too (ExecutionCompleted's Result).
            payload = null;
        }

        return new HistoryEventResponse(
            e.EventType.ToString(),
            e.EventId,
            new DateTimeOffset(DateTime.SpecifyKind(e.Timestamp, DateTimeKind.Utc)),
            name,
            scheduledId,
            fireAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null,
            includeOutput ? StatusResponse.Parse(payload) : null,
            !failed ? null : showFailureDetails && failure is not null ? new HistoryFailure(failure.ErrorType, failure.ErrorMessage) : HistoryFailure.Hidden);
    }
}

public sealed record HistoryFailure(string ErrorType, string ErrorMessage)
{
    /// <summary>What tenant staff see of a failed step.</summary>
    public static HistoryFailure Hidden { get; } = new("Failed", "This step failed; operators can see why in the logs under this instance id.");
}

/// <summary>What one history event carries, whatever its kind.</summary>
internal readonly record struct EventFields(string? Name, int? ScheduledId, DateTime? FireAt, string? Payload, DurableTask.Core.FailureDetails? Failure)
{
    public static implicit operator EventFields((string? Name, int? ScheduledId, DateTime? FireAt, string? Payload, DurableTask.Core.FailureDetails? Failure) t) =>
        new(t.Name, t.ScheduledId, t.FireAt, t.Payload, t.Failure);
}

public sealed record PurgeResponse(int InstancesDeleted);

/// <summary>
/// <c>GET /api/workflows/{instanceId}</c>: the status of one workflow instance for the people who started
/// it. Both hosts serve it behind the platform's bearer tokens (in Azure the built-in
/// <c>/runtime/webhooks/durabletask</c> API wants the system key, which is for operators only), so it is the
/// <c>statusQueryGetUri</c> that orders, feature purchases and plans hand out.
/// </summary>
public static class WorkflowStatusEndpoints
{
    public const string Route = "/workflows/{instanceId}";

    public static RouteGroupBuilder MapWorkflowStatus(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet(Route, GetAsync).WithName("GetWorkflowStatus").WithTags("Workflows").RequireRoles([.. WorkflowVisibility.ReaderRoles])
            .Produces<StatusResponse>().Produces<StatusResponse>(StatusCodes.Status202Accepted);
        return api;
    }

    /// <summary>The absolute URI of an instance's status on the host that served <paramref name="request"/>.</summary>
    public static string StatusQueryUri(HttpRequest request, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Scheme}://{request.Host}{request.PathBase}/api/workflows/{Uri.EscapeDataString(instanceId)}";
    }

    /// <summary>200 once the instance has finished; 202 with a Location to poll again while it runs (Durable's polling contract).</summary>
    public static async Task<IResult> GetAsync(string instanceId, HttpContext http, DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = CurrentUser.FromPrincipal(http.User);
        var instance = await WorkflowVisibility.GetVisibleAsync(client, user, instanceId, getInputsAndOutputs: true, cancellationToken);
        var status = StatusResponse.From(instance, includeInput: false, showFailureDetails: WorkflowVisibility.IsOperator(user));
        if (instance.RuntimeStatus.IsTerminal())
        {
            return TypedResults.Ok(status);
        }

        http.Response.Headers.Location = StatusQueryUri(http.Request, instanceId);
        http.Response.Headers.RetryAfter = "2";
        return TypedResults.Json(status, statusCode: StatusCodes.Status202Accepted);
    }
}
