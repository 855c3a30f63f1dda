using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Security.Pii;
using ServerlessMobility.Platform.Security.Protection;

namespace ServerlessMobility.Platform.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>Request protection and PII protection. The audit ledger and idempotency store come from the storage adapters.</summary>
    public static IServiceCollection AddPlatformSecurity(this IServiceCollection services)
    {
        services.AddRequestProtection();
        services.AddOptions<PiiOptions>().BindConfiguration(PiiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PiiProtector>();
        return services;
    }
}
