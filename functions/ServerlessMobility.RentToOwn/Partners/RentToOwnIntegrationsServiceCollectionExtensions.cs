using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.Integrations.Outbound;

namespace ServerlessMobility.RentToOwn.Partners;

public static class RentToOwnIntegrationsServiceCollectionExtensions
{
    /// <summary>
    /// The real mobile-money provider over HTTP, with the outbound timeouts and retries of the other partner
    /// calls (OutboundHttpPolicy, section CarAsAService:Outbound). The local host registers its simulator instead.
    /// </summary>
    public static IServiceCollection AddRentToOwnMobileMoney(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MobileMoneyOptions>().BindConfiguration(MobileMoneyOptions.SectionName);
        var outbound = configuration.GetSection(OutboundHttpPolicy.PolicySectionName).Get<OutboundHttpPolicy>() ?? new OutboundHttpPolicy();
        var mobileMoney = configuration.GetSection(MobileMoneyOptions.SectionName).Get<MobileMoneyOptions>() ?? new MobileMoneyOptions();
        services.AddPartnerHttpClient<IMobileMoneyGateway, HttpMobileMoneyGateway>(outbound, mobileMoney.BaseUrl, MobileMoneyOptions.SectionName);
        return services;
    }
}
