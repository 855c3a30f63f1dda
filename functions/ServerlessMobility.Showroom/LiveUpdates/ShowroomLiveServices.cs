using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.LiveUpdates.AzureSignalR;
using ServerlessMobility.Showroom.Leaderboards;

namespace ServerlessMobility.Showroom.LiveUpdates;

public static class ShowroomLiveServices
{
    /// <summary>
    /// The showroom's live changes: always this instance's server-sent event streams; with
    /// <see cref="ShowroomLiveOptions.ConnectionString"/> set, Azure SignalR Service too, so that a write on one instance
    /// reaches the clients of all of them.
    /// </summary>
    public static IServiceCollection AddShowroomLiveUpdates(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ShowroomLiveOptions>().BindConfiguration(ShowroomLiveOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShowroomLiveOptions>, ShowroomLiveOptionsValidation>();
        services.AddSingleton<InProcessInventoryChangeBroadcaster>();
        services.AddSingleton<InProcessLeaderboardChanges>();
        if (string.IsNullOrWhiteSpace(configuration[$"{ShowroomLiveOptions.SectionName}:ConnectionString"]))
        {
            services.AddSingleton<IInventoryChangeBroadcaster>(sp => sp.GetRequiredService<InProcessInventoryChangeBroadcaster>());
            services.AddSingleton<ILeaderboardChanges>(sp => sp.GetRequiredService<InProcessLeaderboardChanges>());
            return services;
        }

        services.AddHttpClient(AzureSignalRClient.HttpClientName, (sp, http) => http.Timeout = sp.GetRequiredService<IOptions<ShowroomLiveOptions>>().Value.SendTimeout);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ShowroomLiveOptions>>().Value;
            return new AzureSignalRClient(AzureSignalRConnection.Parse(options.ConnectionString), options.Hub, sp.GetRequiredService<IHttpClientFactory>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<JsonOptions>>());
        });
        services.AddSingleton<AzureSignalROutbox>();
        services.AddHostedService<AzureSignalRSender>();
        services.AddSingleton<IInventoryChangeBroadcaster, AzureSignalRInventoryChangeBroadcaster>();
        services.AddSingleton<ILeaderboardChanges, AzureSignalRLeaderboardChanges>();
        return services;
    }
}
