using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.Platform.Workflows.Management;

/// <summary>
/// The Durable Functions HTTP management API (the routes, payloads and status codes of the built-in one
/// under /runtime/webhooks/durabletask), on the SDK's <see cref="DurableTaskClient"/>, mapped twice with the
/// same handlers: under /runtime/webhooks/durabletask on the local host (the path Durable's tools and the docs
/// use), and under /api/workflows on both hosts. In Azure the built-in API at the first path wants the system
/// key, which must never reach a browser, and the Static Web App forwards only /api: the console and operators
/// use the second. Operators see and control the instances of every tenant; tenant staff may read their own
/// tenant's instances, never change them; an instance they may not see answers 404, as one that does not exist.
/// </summary>
public static class DurableManagementEndpoints
{
    public const string RoutePrefix = "/runtime/webhooks/durabletask";

    /// <summary>The prefix inside the /api group (so /api/workflows), with the names of its routes prefixed "Workflows".</summary>
    public const string ApiRoutePrefix = "/workflows";
    public const string ApiNamePrefix = "Workflows";

    public const string ContinuationHeader = "x-ms-continuation-token";

    public const int MaxTop = 1000;

    /// <summary>What a status asked for with its history says when the client cannot read histories.</summary>
    public const string HistoryUnavailableReason =
        "This host's Durable client cannot read instance histories (the Durable extension predates history streaming); the status is shown without them.";

    public const int MaxInstanceIdLength = 200;

    /// <summary>What an instance id chosen by an operator may contain: no / \ # ? ' ~ (storage keys and URLs) and no control characters.</summary>
    public const string InstanceIdPattern = "^[^/\\\\#?'~\\x00-\\x1F\\x7F-\\x9F]+$";

    /// <summary>The built-in API's path, for the local host.</summary>
    public static RouteGroupBuilder MapDurableManagementApi(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapDurableManagementApi(RoutePrefix, "Durable");

    /// <param name="prefix">Where the routes go, relative to <paramref name="endpoints"/>; the URIs in the payloads name the path each request came in on.</param>
    /// <param name="namePrefix">Prefixes the route names, which must be unique across the host (they are the OpenAPI operation ids and the Functions app's function names).</param>
    public static RouteGroupBuilder MapDurableManagementApi(this IEndpointRouteBuilder endpoints, string prefix, string namePrefix)
    {
        var group = endpoints.MapGroup(prefix)
            .WithTags("Durable management");
        var read = group.MapGroup(string.Empty).RequireRoles([.. WorkflowVisibility.ReaderRoles]);
        read.MapGet("/instances/{instanceId}", GetStatusAsync).WithName(namePrefix + "GetStatus")
            .Produces<StatusResponse>().Produces<StatusResponse>(StatusCodes.Status202Accepted);
        read.MapGet("/instances", ListAsync).WithName(namePrefix + "ListInstances").Produces<List<StatusResponse>>();
        group = group.MapGroup(string.Empty).RequireRoles(PlatformRoles.Operator);
        group.MapPost("/orchestrators/{name}/{instanceId?}", StartAsync).WithName(namePrefix + "StartOrchestration").Produces<CheckStatusPayload>(StatusCodes.Status202Accepted);
        group.MapPost("/instances/{instanceId}/raiseEvent/{eventName}", RaiseEventAsync).WithName(namePrefix + "RaiseEvent").Produces(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status410Gone);
        group.MapPost("/instances/{instanceId}/terminate", TerminateAsync).WithName(namePrefix + "Terminate").Produces(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status410Gone);
        group.MapPost("/instances/{instanceId}/suspend", SuspendAsync).WithName(namePrefix + "Suspend").Produces(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status410Gone);
        group.MapPost("/instances/{instanceId}/resume", ResumeAsync).WithName(namePrefix + "Resume").Produces(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status410Gone);
        group.MapDelete("/instances/{instanceId}", PurgeAsync).WithName(namePrefix + "PurgeInstance").Produces<PurgeResponse>();
        group.MapDelete("/instances", PurgeManyAsync).WithName(namePrefix + "PurgeInstances").Produces<PurgeResponse>();
        return group;
    }

    internal static async Task<IResult> StartAsync(string name, [StringLength(MaxInstanceIdLength, MinimumLength = 1), RegularExpression(InstanceIdPattern)] string? instanceId, HttpContext http, DurableTaskClient client, WorkflowRegistry registry, CancellationToken cancellationToken)
    {
        if (!registry.Orchestrators.ContainsKey(name))
        {
            throw new ResourceNotFoundException("Orchestrator function", name);
        }

        if (instanceId is not null && !InputFormats.Matches(instanceId, InstanceIdPattern, 1, MaxInstanceIdLength))
        {
            throw RequestValidationException.For("instanceId", $"1 to {MaxInstanceIdLength} characters, none of / \\ # ? ' ~ or control characters.");
        }

        JsonElement? input = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            input = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, cancellationToken: cancellationToken);
        }

        // An operator start never replaces a running instance (the built-in API would, depending on host.json).
        string id;
        try
        {
            id = await client.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions(instanceId)
            {
                DedupeStatuses = WorkflowClientExtensions.ActiveStatuses,
            }, cancellationToken);
        }
        catch (InvalidOperationException) when (instanceId is not null)
        {
            // The client's way of saying that an instance with this id is still active (OrchestrationAlreadyExistsException).
            if (await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken) is not { } existing || existing.RuntimeStatus.IsTerminal())
            {
                throw;
            }

            throw new ConflictException($"Instance '{instanceId}' is {existing.RuntimeStatus}; terminate it or wait for it to finish before starting it again.");
        }
        // The route is {prefix}/orchestrators/{name}, then the instance id when one was given.
        var payload = CheckStatusPayload.For(ApiBase(http.Request, instanceId is null ? 2 : 3), id);
        http.Response.Headers.Location = payload.StatusQueryGetUri;
        return TypedResults.Json(payload, statusCode: StatusCodes.Status202Accepted);
    }

    internal static async Task<IResult> GetStatusAsync(string instanceId, HttpContext http, DurableTaskClient client, bool? showHistory, bool? showHistoryOutput, bool? showInput, CancellationToken cancellationToken)
    {
        var user = CurrentUser.FromPrincipal(http.User);
        var instance = await WorkflowVisibility.GetVisibleAsync(client, user, instanceId, getInputsAndOutputs: true, cancellationToken);
        IReadOnlyList<HistoryEventResponse>? history = null;
        string? historyUnavailable = null;
        if (showHistory == true)
        {
            try
            {
                history = [.. (await client.GetOrchestrationHistoryAsync(instanceId, cancellationToken)).Select(e => HistoryEventResponse.From(e, showHistoryOutput == true, WorkflowVisibility.IsOperator(user)))];
            }
            catch (NotSupportedException)
            {
                // The SDK's answer when a client cannot read histories (a Functions host whose Durable extension predates
                // history streaming): the instance is still worth showing, with the reason its history is missing.
                historyUnavailable = HistoryUnavailableReason;
            }
        }

        var status = StatusResponse.From(instance, showInput != false, WorkflowVisibility.IsOperator(user), history) with { HistoryUnavailable = historyUnavailable };
        if (instance.RuntimeStatus.IsTerminal())
        {
            return TypedResults.Ok(status);
        }

        // The route is {prefix}/instances/{instanceId}.
        http.Response.Headers.Location = CheckStatusPayload.For(ApiBase(http.Request, 2), instanceId).StatusQueryGetUri;
        return TypedResults.Json(status, statusCode: StatusCodes.Status202Accepted);
    }

    internal static async Task<IResult> ListAsync(HttpContext http, DurableTaskClient client, string? runtimeStatus, DateTimeOffset? createdTimeFrom, DateTimeOffset? createdTimeTo,
        string? instanceIdPrefix, [Range(1, MaxTop)] int? top, bool? showInput, [StringLength(TenantIds.MaxLength), RegularExpression(TenantIds.Pattern)] string? tenantId, CancellationToken cancellationToken)
    {
        var user = CurrentUser.FromPrincipal(http.User);
        var isOperator = WorkflowVisibility.IsOperator(user);
        if (tenantId is not null && !isOperator)
        {
            // Only operators choose a tenant; everyone else is held to the one in their token.
            throw RequestValidationException.For("tenantId", "Only operators may filter by tenant.");
        }

        if (tenantId is not null && !TenantIds.IsValid(tenantId))
        {
            throw RequestValidationException.For("tenantId", "Not a tenant id.");
        }

        if (top is < 1 or > MaxTop)
        {
            throw RequestValidationException.For("top", $"Between 1 and {MaxTop}.");
        }

        var query = new OrchestrationQuery
        {
            Statuses = ParseStatuses(runtimeStatus),
            CreatedFrom = createdTimeFrom,
            CreatedTo = createdTimeTo,
            InstanceIdPrefix = EffectivePrefix(isOperator ? tenantId : user.TenantId, instanceIdPrefix),
            PageSize = top ?? 100,
            ContinuationToken = http.Request.Headers[ContinuationHeader].FirstOrDefault() is { Length: > 0 } token ? token : null,
            FetchInputsAndOutputs = showInput == true,
        };
        await foreach (var page in client.GetAllInstancesAsync(query).AsPages(query.ContinuationToken, query.PageSize).WithCancellation(cancellationToken))
        {
            if (page.ContinuationToken is { Length: > 0 } next)
            {
                http.Response.Headers[ContinuationHeader] = next;
            }

            return TypedResults.Ok(page.Values.Select(i => StatusResponse.From(i, showInput == true, isOperator)).ToList());
        }

        return TypedResults.Ok(new List<StatusResponse>());
    }

    internal static async Task<IResult> RaiseEventAsync(string instanceId, string eventName, HttpContext http, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var instance = await WorkflowVisibility.GetVisibleAsync(client, CurrentUser.FromPrincipal(http.User), instanceId, getInputsAndOutputs: false, cancellationToken);
        if (instance.RuntimeStatus.IsTerminal())
        {
            return Gone(instanceId, instance.RuntimeStatus);
        }

        JsonElement? payload = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            payload = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body, cancellationToken: cancellationToken);
        }

        await client.RaiseEventAsync(instanceId, eventName, payload, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    internal static Task<IResult> TerminateAsync(string instanceId, string? reason, HttpContext http, DurableTaskClient client, CancellationToken cancellationToken) =>
        ControlAsync(instanceId, http, client, (id, ct) => client.TerminateInstanceAsync(id, reason, ct), cancellationToken);

    internal static Task<IResult> SuspendAsync(string instanceId, string? reason, HttpContext http, DurableTaskClient client, CancellationToken cancellationToken) =>
        ControlAsync(instanceId, http, client, (id, ct) => client.SuspendInstanceAsync(id, reason, ct), cancellationToken);

    internal static Task<IResult> ResumeAsync(string instanceId, string? reason, HttpContext http, DurableTaskClient client, CancellationToken cancellationToken) =>
        ControlAsync(instanceId, http, client, (id, ct) => client.ResumeInstanceAsync(id, reason, ct), cancellationToken);

    internal static async Task<IResult> PurgeAsync(string instanceId, HttpContext http, DurableTaskClient client, CancellationToken cancellationToken)
    {
        var instance = await WorkflowVisibility.GetVisibleAsync(client, CurrentUser.FromPrincipal(http.User), instanceId, getInputsAndOutputs: false, cancellationToken);
        if (!instance.RuntimeStatus.IsTerminal())
        {
            throw new ConflictException($"Instance '{instanceId}' is {instance.RuntimeStatus}; only completed, failed or terminated instances can be purged.");
        }

        var purged = await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken);
        return TypedResults.Ok(new PurgeResponse(purged.PurgedInstanceCount));
    }

    internal static async Task<IResult> PurgeManyAsync(HttpContext http, DurableTaskClient client, string? runtimeStatus, DateTimeOffset? createdTimeFrom, DateTimeOffset? createdTimeTo, CancellationToken cancellationToken)
    {
        if (createdTimeFrom is null)
        {
            // As in Durable Functions: a bulk purge needs a lower bound, so one request cannot wipe everything by accident.
            throw RequestValidationException.For("createdTimeFrom", "Required for a bulk purge.");
        }

        var statuses = ParseStatuses(runtimeStatus)?.ToList() ?? [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated];
        if (statuses.Any(s => !s.IsTerminal()))
        {
            throw RequestValidationException.For("runtimeStatus", "Only Completed, Failed and Terminated instances can be purged.");
        }

        var purged = await client.PurgeAllInstancesAsync(new PurgeInstancesFilter(createdTimeFrom, createdTimeTo, statuses), cancellation: cancellationToken);
        if (purged.PurgedInstanceCount == 0)
        {
            // Names the filter as given, so the caller sees what matched nothing (never a wildcard they did not send).
            var range = $"from {createdTimeFrom.Value.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)} to {(createdTimeTo is { } to ? to.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) : "now")}";
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: $"No instance with runtime status {string.Join(" or ", statuses)} was created {range}; nothing was purged.");
        }

        return TypedResults.Ok(new PurgeResponse(purged.PurgedInstanceCount));
    }

    private static async Task<IResult> ControlAsync(string instanceId, HttpContext http, DurableTaskClient client, Func<string, CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        var instance = await WorkflowVisibility.GetVisibleAsync(client, CurrentUser.FromPrincipal(http.User), instanceId, getInputsAndOutputs: false, cancellationToken);
        if (instance.RuntimeStatus.IsTerminal())
        {
            return Gone(instanceId, instance.RuntimeStatus);
        }

        await action(instanceId, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>
    /// The absolute URI of the prefix a request came in on (/runtime/webhooks/durabletask or /api/workflows): its path
    /// less the route's own last <paramref name="routeSegments"/> segments, so the URIs handed out lead back the same way.
    /// </summary>
    private static string ApiBase(HttpRequest request, int routeSegments)
    {
        var path = request.Path.Value?.TrimEnd('/') ?? string.Empty;
        for (var i = 0; i < routeSegments; i++)
        {
            path = path[..Math.Max(path.LastIndexOf('/'), 0)];
        }

        return $"{request.Scheme}://{request.Host}{request.PathBase}{path}";
    }

    /// <summary>Tenant staff list within their tenant; operators within the tenant they name, or everywhere.</summary>
    private static string? EffectivePrefix(string? tenantId, string? instanceIdPrefix)
    {
        var prefix = string.IsNullOrEmpty(instanceIdPrefix) ? null : instanceIdPrefix;
        if (tenantId is null)
        {
            return prefix;
        }

        var tenantPrefix = WorkflowInstanceIds.TenantPrefix(tenantId);
        return prefix is not null && prefix.StartsWith(tenantPrefix, StringComparison.Ordinal) ? prefix : tenantPrefix + prefix;
    }

    private static ProblemHttpResult Gone(string instanceId, OrchestrationRuntimeStatus status) =>
        TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Gone", detail: $"Instance '{instanceId}' is already {status}.");

    private static List<OrchestrationRuntimeStatus>? ParseStatuses(string? runtimeStatus)
    {
        if (string.IsNullOrWhiteSpace(runtimeStatus))
        {
            return null;
        }

        var statuses = new List<OrchestrationRuntimeStatus>();
        foreach (var part in runtimeStatus.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<OrchestrationRuntimeStatus>(part, ignoreCase: true, out var status) || !Enum.IsDefined(status))
            {
                throw RequestValidationException.For("runtimeStatus", $"'{part}' is not one of {string.Join(", ", Enum.GetNames<OrchestrationRuntimeStatus>())}.");
            }

            statuses.Add(status);
        }

        return statuses;
    }
}
