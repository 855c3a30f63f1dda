using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Notifications;

namespace ServerlessMobility.Integrations.Notifications;

public static class NotificationChannelsExtensions
{
    /// <summary>
    /// The e-mail and SMS providers chosen by Notifications:EmailChannel (Smtp | Acs) and Notifications:SmsChannel
    /// (LocalSink | Acs). The local sinks themselves are storage adapters: the caller adds them for the channels
    /// this method leaves without a sender.
    /// </summary>
    /// <returns>The channels that still need a sender.</returns>
    public static IReadOnlyList<NotificationChannel> AddNotificationChannels(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(NotificationOptions.SectionName);
        var email = section[nameof(NotificationOptions.EmailChannel)] is { Length: > 0 } e ? e : "Smtp";
        var sms = section[nameof(NotificationOptions.SmsChannel)] is { Length: > 0 } s ? s : "LocalSink";
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName);
        services.AddOptions<AcsOptions>().BindConfiguration(AcsOptions.SectionName)
            .Validate(o => (email != "Acs" && sms != "Acs") || Uri.TryCreate(o.Endpoint, UriKind.Absolute, out _),
                "Notifications:Acs:Endpoint is required when a channel uses Acs.")
            .ValidateOnStart();
        if (email == "Acs" || sms == "Acs")
        {
            services.AddTransient(sp => new AcsRequestSigner(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AcsOptions>>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetService<Azure.Core.TokenCredential>()));
        }

        if (email == "Acs")
        {
            services.AddHttpClient<AcsEmailSender>(Configure).AddHttpMessageHandler<AcsRequestSigner>();
            services.AddSingleton<IMessageSender>(sp => sp.GetRequiredService<AcsEmailSender>());
        }
        else
        {
            services.AddSingleton<IMessageSender, SmtpEmailSender>();
        }

        var unserved = new List<NotificationChannel> { NotificationChannel.Push };
        if (sms == "Acs")
        {
            services.AddHttpClient<AcsSmsSender>(Configure).AddHttpMessageHandler<AcsRequestSigner>();
            services.AddSingleton<IMessageSender>(sp => sp.GetRequiredService<AcsSmsSender>());
        }
        else
        {
            unserved.Add(NotificationChannel.Sms);
        }

        return unserved;

        void Configure(IServiceProvider sp, HttpClient http)
        {
            var endpoint = configuration[$"{AcsOptions.SectionName}:Endpoint"] ?? string.Empty;
            http.BaseAddress = new Uri(endpoint.EndsWith('/') ? endpoint : endpoint + "/");
            http.Timeout = TimeSpan.FromSeconds(30);
        }
    }
}
