using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Showroom.Financing;

namespace ServerlessMobility.Showroom;

/// <summary>The dealer's showroom (issue 22); so far financing quotes, which store nothing.</summary>
public sealed class ShowroomModule : IPlatformModule
{
    /// <summary>Dealers quote at the desk and customers compare offers themselves.</summary>
    public static readonly string[] QuoteRoles = [PlatformRoles.Customer, PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin];

    public string Name => "Showroom";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        // The quotes are pure arithmetic over the request: nothing to register yet.
    }

    public void MapEndpoints(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var showroom = api.MapGroup("/showroom");
        showroom.MapPost("/financing-quotes", FinancingQuotesEndpoints.Quote).WithTags("Showroom financing").WithName("QuoteShowroomFinancing").RequireRoles(QuoteRoles);
    }
}
