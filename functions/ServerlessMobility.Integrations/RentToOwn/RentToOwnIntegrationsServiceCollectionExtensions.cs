using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Core.RentToOwn.Collection;
using ServerlessMobility.Integrations.CarAsAService;

namespace ServerlessMobility.Integrations.RentToOwn;

public static class RentToOwnIntegrationsServiceCollectionExtensions
{
    /// <summary>
    /// The real mobile-money provider over HTTP, with the outbound timeouts and retries of the other partner
    /// calls (CarAsAService:Outbound). The local host registers its simulator instead.
    /// </summary>
    public static IServiceCollection AddRentToOwnMobileMoney(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MobileMoneyOptions>().BindConfiguration(MobileMoneyOptions.SectionName);
        var outbound = configuration.GetSection(OutboundOptions.SectionName).Get<OutboundOptions>() ?? new OutboundOptions();
        var mobileMoney = configuration.GetSection(MobileMoneyOptions.SectionName).Get<MobileMoneyOptions>() ?? new MobileMoneyOptions();
        IntegrationsServiceCollectionExtensions.AddHttp<IMobileMoneyGateway, HttpMobileMoneyGateway>(services, outbound, _ => mobileMoney.BaseUrl);
        return services;
    }
}
