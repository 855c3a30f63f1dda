using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.Integrations.Outbound;
using ServerlessMobility.Platform.Simulation;

namespace ServerlessMobility.CarAsAService.Partners;

public static class IntegrationsServiceCollectionExtensions
{
    /// <summary>
    /// The outbound ports of Car-as-a-Service: HTTP adapters with timeouts and retries when
    /// CarAsAService:Outbound:Mode is "Http", the local simulators otherwise.
    /// </summary>
    public static IServiceCollection AddCarAsAServiceIntegrations(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<OutboundOptions>().BindConfiguration(OutboundOptions.SectionName);
        services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.SectionName);
        var outbound = configuration.GetSection(OutboundOptions.SectionName).Get<OutboundOptions>() ?? new OutboundOptions();
        if (string.Equals(outbound.Mode, "Http", StringComparison.OrdinalIgnoreCase))
        {
            AddHttp<IPaymentProvider, HttpPaymentProvider>(services, outbound, o => o.PaymentsBaseUrl);
            AddHttp<ICardPayments, HttpCardPayments>(services, outbound, o => o.PaymentsBaseUrl);
            AddHttp<IFactory, HttpFactory>(services, outbound, o => o.FactoryBaseUrl);
            AddHttp<IRegistrationOffice, HttpRegistrationOffice>(services, outbound, o => o.RegistrationBaseUrl);
        }
        else
        {
            services.AddHttpClient(WebhookSender.ClientName);
            services.AddSingleton<WebhookSender>();
            services.AddPartnerSimulatorControl();
            services.AddSingleton<SimulatedPaymentProvider>();
            services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<SimulatedPaymentProvider>());
            services.AddSingleton<SimulatedCardPayments>();
            services.AddSingleton<ICardPayments>(sp => sp.GetRequiredService<SimulatedCardPayments>());
            services.AddSingleton<IFactory, SimulatedFactory>();
            services.AddSingleton<IRegistrationOffice, SimulatedRegistrationOffice>();
        }

        return services;
    }

    private static void AddHttp<TPort, TAdapter>(IServiceCollection services, OutboundOptions options, Func<OutboundOptions, Uri?> baseUrl)
        where TPort : class
        where TAdapter : class, TPort =>
        services.AddPartnerHttpClient<TPort, TAdapter>(options, baseUrl(options), OutboundOptions.SectionName);
}
