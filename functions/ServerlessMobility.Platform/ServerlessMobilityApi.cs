using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Documents;
using ServerlessMobility.Platform.Health;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.Platform.Operations;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Security.Audit;
using ServerlessMobility.Platform.Security.Idempotency;
using ServerlessMobility.Platform.Workflows.Management;

namespace ServerlessMobility.Platform;

/// <summary>
/// The platform's HTTP surface: every route under <c>/api</c>, mapped by one call that both hosts
/// make: the kernel's routes, then each registered <see cref="IPlatformModule"/>'s.
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
        api.MapWorkflowStatus();

        // The management API again, inside /api: the only path that reaches it in Azure (see DurableManagementEndpoints).
        api.MapDurableManagementApi(DurableManagementEndpoints.ApiRoutePrefix, DurableManagementEndpoints.ApiNamePrefix);
        api.MapOperatorTasks();
        api.MapDocuments();
        foreach (var module in endpoints.ServiceProvider.GetServices<IPlatformModule>())
        {
            module.MapEndpoints(api);
        }

        return api;
    }
}
