using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using ServerlessMobility.Core.CarAsAService;
using ServerlessMobility.Core.Documents;
using ServerlessMobility.Core.Health;
using ServerlessMobility.Core.Operations;
using ServerlessMobility.Core.RentToOwn.Collection;
using ServerlessMobility.Core.Security;
using ServerlessMobility.Core.Security.Audit;
using ServerlessMobility.Core.Security.Idempotency;
using ServerlessMobility.Core.Telemetry;
using ServerlessMobility.Core.Workflows.Management;

namespace ServerlessMobility.Core;

/// <summary>
/// The platform's HTTP surface: every route under <c>/api</c>, mapped by one call that both hosts
/// make. Feature slices add their route groups here.
/// </summary>
public static class ServerlessMobilityApi
{
    public const string RoutePrefix = "/api";

    public static RouteGroupBuilder MapServerlessMobilityApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(RoutePrefix).RequireAuthorization();

        // Outermost first: a replayed idempotent request returns before it could be audited twice.
        IEndpointConventionBuilder conventions = api;
        conventions.Add(IdempotencyFilter.Apply);
        conventions.Add(AuditFilter.Apply);

        api.MapHealth();
        api.MapIdentity();
        api.MapAudit();
        api.MapTelemetry();
        api.MapCarAsAService();
        api.MapRentToOwnApi();
        api.MapWorkflowStatus();
        api.MapOperatorTasks();
        api.MapDocuments();
        return api;
    }
}
