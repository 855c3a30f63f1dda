using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.RentToOwn.Collection;
using ServerlessMobility.Testing;
using ServerlessMobility.Workshop.Billing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// The fast time profile (<c>./scripts/run-local.sh --profile fast</c>) over the sample settings, which spell
/// out the real waits: the options the workflows read come out in seconds, still pass their validation, and a
/// value on the command line still wins. Built, not started: nothing here needs the emulators.
/// </summary>
public class TimeProfileTests
{
    private static readonly string Sample = RepositoryPaths.InRoot("local.settings.sample.json");

    [Fact]
    public async Task FastProfile_OverTheSampleSettings_OneDayBecomesTenSeconds()
    {
        await using var real = LocalHostApplication.Build([$"--LocalSettingsPath={Sample}"]);
        await using var fast = LocalHostApplication.Build([$"--LocalSettingsPath={Sample}", "--LocalHost:TimeProfile=fast"]);

        var collection = fast.Services.GetRequiredService<IOptions<CollectionOptions>>().Value;
        var features = fast.Services.GetRequiredService<IOptions<FeatureActivationOptions>>().Value;
        var workflow = fast.Services.GetRequiredService<IOptions<OrderToDeliveryOptions>>().Value;

        // Without the profile the sample's real waits apply: the profile is what changed them.
        Assert.Equal(TimeSpan.FromDays(7), real.Services.GetRequiredService<IOptions<CollectionOptions>>().Value.GracePeriod);
        Assert.Null(real.Services.GetRequiredService<IOptions<FeatureActivationOptions>>().Value.MonthLength);
        Assert.Equal(TimeSpan.FromDays(3), real.Services.GetRequiredService<IOptions<OrderToDeliveryOptions>>().Value.DepositTimeout);

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(50)], collection.RetryOffsets);
        Assert.Equal(TimeSpan.FromSeconds(70), collection.GracePeriod);
        Assert.Equal(TimeSpan.FromSeconds(20), collection.ReminderLead);
        Assert.Equal(TimeSpan.FromSeconds(10), collection.DefaultRecheckInterval);
        Assert.Equal(TimeSpan.FromMinutes(5), features.MonthLength);
        Assert.Equal("00:00:30,00:01:10,00:02:20", features.InvoiceRetrySchedule);
        Assert.Equal(TimeSpan.FromSeconds(30), workflow.DepositTimeout);
        Assert.Equal(TimeSpan.FromSeconds(140), workflow.FinalPaymentTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), workflow.FinalPaymentReminderInterval);

        // The workshop's estimate approval: reminded daily, expired after three days, in seconds.
        Assert.Equal(TimeSpan.FromDays(1), real.Services.GetRequiredService<IOptions<WorkshopOptions>>().Value.Approval.ReminderInterval);
        var approval = fast.Services.GetRequiredService<IOptions<WorkshopOptions>>().Value.Approval;
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)), (approval.ReminderInterval, approval.Expiry, approval.ActivityRetryInterval));
    }

    [Fact]
    public async Task FastProfile_CommandLineValue_StillWins()
    {
        await using var app = LocalHostApplication.Build([$"--LocalSettingsPath={Sample}", "--LocalHost:TimeProfile=fast", "--RentToOwn:Collection:GracePeriod=00:02:00"]);

        Assert.Equal(TimeSpan.FromMinutes(2), app.Services.GetRequiredService<IOptions<CollectionOptions>>().Value.GracePeriod);
    }

    [Fact]
    public void UnknownProfile_IsRefusedWithTheKnownOnes()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => LocalHostApplication.Build(["--LocalSettingsPath=(none)", "--LocalHost:TimeProfile=warp"]));

        Assert.Contains("fast", exception.Message, StringComparison.Ordinal);
    }

    /// <summary>A misspelt key in the profile would silently leave a real wait in place.</summary>
    [Fact]
    public void FastProfile_EveryKeyIsASampleSetting()
    {
        var sample = JsonDocument.Parse(File.ReadAllText(Sample)).RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var profile = JsonDocument.Parse(File.ReadAllText(LocalHostApplication.TimeProfilePath("fast")!)).RootElement;

        var keys = Flatten(profile, string.Empty).Where(k => !k.StartsWith('_')).ToList();

        Assert.Contains("RentToOwn__Collection__GracePeriod", keys);
        Assert.Equal([], keys.Except(sample));
    }

    private static IEnumerable<string> Flatten(JsonElement element, string prefix) =>
        element.ValueKind == JsonValueKind.Object
            ? element.EnumerateObject().SelectMany(p => Flatten(p.Value, prefix.Length == 0 ? p.Name : $"{prefix}__{p.Name}"))
            : [prefix];
}
