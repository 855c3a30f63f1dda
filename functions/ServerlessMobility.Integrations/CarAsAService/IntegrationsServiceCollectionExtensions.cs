using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Core.CarAsAService;
using ServerlessMobility.Core.CarAsAService.Features;
using ServerlessMobility.Core.Simulation;

namespace ServerlessMobility.Integrations.CarAsAService;

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

    public static IHttpClientBuilder AddHttp<TPort, TAdapter>(IServiceCollection services, OutboundOptions options, Func<OutboundOptions, Uri?> baseUrl)
        where TPort : class
        where TAdapter : class, TPort
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(baseUrl);
        var builder = services.AddHttpClient<TPort, TAdapter>(client =>
            client.BaseAddress = baseUrl(options) ?? throw new InvalidOperationException($"{OutboundOptions.SectionName}: the base URL for {typeof(TPort).Name} is required."));
        builder.AddStandardResilienceHandler(resilience =>
        {
            resilience.AttemptTimeout.Timeout = options.AttemptTimeout;
            resilience.TotalRequestTimeout.Timeout = options.TotalTimeout;
            resilience.CircuitBreaker.SamplingDuration = options.AttemptTimeout * 2 > TimeSpan.FromSeconds(30) ? options.AttemptTimeout * 2 : TimeSpan.FromSeconds(30);
            resilience.Retry.MaxRetryAttempts = options.MaxRetryAttempts;
            resilience.Retry.UseJitter = true;
            resilience.Retry.Delay = options.RetryBaseDelay;

            // Every call carries an Idempotency-Key, so retrying a POST is safe.
            resilience.Retry.ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Exception is HttpRequestException or TimeoutException or Polly.Timeout.TimeoutRejectedException
                || (args.Outcome.Result is { } r && ((int)r.StatusCode >= 500 || r.StatusCode == System.Net.HttpStatusCode.TooManyRequests)));
        });
        return builder;
    }
}
