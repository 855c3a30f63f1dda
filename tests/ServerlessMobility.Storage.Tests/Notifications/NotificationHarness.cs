using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Documents;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Integrations.Notifications;
using ServerlessMobility.Storage.Notifications;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Storage.Tests.Notifications;

/// <summary>The notification capability wired as the hosts wire it: Azurite for records and wake-ups, maildev for e-mail.</summary>
internal static class NotificationHarness
{
    public static ServiceProvider Create(PlatformEmulators emulators, IDictionary<string, string?>? overrides = null)
    {
        var settings = emulators.Settings();
        settings["Tenants:Profiles:acme-motors:Name"] = "Acme Motors";
        settings["Tenants:Profiles:acme-motors:LegalName"] = "Acme Motors GmbH";
        settings["Tenants:Profiles:acme-motors:LegalFooter"] = "Acme Motors GmbH, Hauptstr. 1, 10115 Berlin, HRB 12345";
        settings["Tenants:Profiles:acme-motors:TaxId"] = "DE123456789";
        settings["Tenants:Profiles:acme-motors:Address"] = "Hauptstr. 1, 10115 Berlin";
        settings["Tenants:Profiles:acme-motors:FromAddress"] = "orders@acme-motors.test";
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return StorageServices.Create(emulators, services =>
        {
            services.AddPlatformSecurity();
            services.AddNotifications().AddDocuments().AddNotificationAndDocumentStorage();
            foreach (var channel in services.AddNotificationChannels(configuration))
            {
                services.AddLocalMessageSink(channel);
            }
        }, settings);
    }

    /// <summary>An address no other test uses, so counting its mail in the shared maildev is exact.</summary>
    public static string UniqueAddress() => $"c-{Guid.NewGuid():N}@customers.test";
}
