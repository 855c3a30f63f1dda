using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Storage.Tests.Notifications;

/// <summary>
/// The test fixture's maildev survives its own crash: maildev exits on any uncaught exception, which once cost a CI run
/// two unrelated failures ("connection refused" from its API). A maildev of this test's own is killed, as a crash would.
/// </summary>
public sealed class MaildevRestartTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MaildevKilled_NextReadStartsItAgainOnTheSamePorts_KeepsEarlierMail_AndAcceptsNewMail()
    {
        await using var maildev = await MaildevProcess.StartAsync();
        await using var services = NotificationHarness.Create(emulators,
            new Dictionary<string, string?> { ["Notifications:Smtp:Port"] = maildev.SmtpPort.ToString(CultureInfo.InvariantCulture) });
        var notifications = services.GetRequiredService<INotifications>();
        var address = NotificationHarness.UniqueAddress();
        NotificationEvent Note(string id) => new(id, "generic", "acme-motors", new NotificationRecipient("cust-9", "Ada", address, Language: "en"),
            new Dictionary<string, string> { ["message"] = id });

        await notifications.PublishAsync(Note($"restart-{Guid.NewGuid():N}-before"), Ct);
        await Eventually.UntilAsync(() => maildev.MailToAsync(address, Ct), m => m.Count == 1, "the mail sent before the crash");
        var crashed = maildev.Process.Id;

        await maildev.Process.KillAsync();
        var afterRestart = await maildev.MailToAsync(address, Ct);

        Assert.Single(afterRestart);
        Assert.NotEqual(crashed, maildev.Process.Id);
        Assert.False(maildev.Process.HasExited);
        Assert.Contains($"pid {crashed}", Assert.Single(maildev.CrashReports), StringComparison.Ordinal);

        await notifications.PublishAsync(Note($"restart-{Guid.NewGuid():N}-after"), Ct);
        var all = await Eventually.UntilAsync(() => maildev.MailToAsync(address, Ct), m => m.Count == 2, "the mail sent after the restart");
        Assert.Equal(2, all.Count);
    }
}
