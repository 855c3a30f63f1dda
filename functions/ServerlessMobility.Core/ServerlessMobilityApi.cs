using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using ServerlessMobility.Core.Health;

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
        api.MapHealth();
        CarAsAService.CarAsAServiceServiceCollectionExtensions.MapCarAsAService(api);
        return api;
    }
}
