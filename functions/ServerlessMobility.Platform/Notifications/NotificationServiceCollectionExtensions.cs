using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ServerlessMobility.Platform.Notifications;

public static class NotificationServiceCollectionExtensions
{
    /// <summary>The notification use cases and templates; storage and channel adapters are added by the hosts' shared registration.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName)
            .Validate(o => o.MaxAttempts is >= 1 and <= 50, "Notifications:MaxAttempts must be 1 to 50.")
            .Validate(o => o.FirstRetry > TimeSpan.Zero && o.DispatchInterval > TimeSpan.Zero, "Notifications:FirstRetry and DispatchInterval must be positive.")
            .ValidateOnStart();
        services.AddOptions<TenantProfileOptions>().BindConfiguration(TenantProfileOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NotificationTemplates>();
        services.TryAddSingleton<INotifications, NotificationService>();
        services.TryAddSingleton<NotificationDispatcher>();
        return services;
    }
}
