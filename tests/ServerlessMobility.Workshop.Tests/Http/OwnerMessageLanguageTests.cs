using System.Net;
using ServerlessMobility.Testing;
using ServerlessMobility.Workshop.Notifications;

namespace ServerlessMobility.Workshop.Tests.Http;

/// <summary>
/// The workshop's owner messages are rendered by the notifications capability from the kind's template in the owner's
/// language: read here as the SMS the local sink received, the words the owner actually gets.
/// </summary>
public class OwnerMessageLanguageTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GermanOwner_EstimateAndDecisionMessagesInGerman_WithTheJobsValues()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync();
        var german = await OwnerAsync(host, "de");
        var english = await OwnerAsync(host, "en");
        var (germanJob, germanLink) = await host.DriveToLinkSentAsync(german, "bay-1", WorkshopHost.TuesdayEight);
        var (englishJob, _) = await host.DriveToLinkSentAsync(english, "bay-1", WorkshopHost.TuesdayEight.AddHours(3));

        var ready = await SmsAsync(host, germanJob, "v1:estimate-ready");
        Assert.Equal("de", ready.Language);
        Assert.Contains("Kostenvoranschlag für WVWZZZ1JZXW000001", ready.Text, StringComparison.Ordinal);
        // 1.5 h at 80.00, two pads at 45.50 and wipers at 19.99.
        Assert.Contains("230.99 EUR netto", ready.Text, StringComparison.Ordinal);
        Assert.Contains(germanLink, ready.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("estimate", ready.Text.Replace(germanLink, string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

        // The same kind for an English owner: the same values, other words.
        var readyEn = await SmsAsync(host, englishJob, "v1:estimate-ready");
        Assert.Equal("en", readyEn.Language);
        Assert.Contains("Estimate for WVWZZZ1JZXW000001", readyEn.Text, StringComparison.Ordinal);
        Assert.NotEqual(ready.Text.Replace(germanLink, string.Empty, StringComparison.Ordinal), readyEn.Text);

        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, germanLink, null, WorkshopHost.WipersDeclined());
        var decided = await SmsAsync(host, germanJob, "v1:decided");
        Assert.Equal("de", decided.Language);
        Assert.Contains("2 von 3 Positionen", decided.Text, StringComparison.Ordinal);
    }

    private static Task<string> OwnerAsync(WorkshopHost host, string language) => host.ReachableOwnerAsync(language);

    /// <summary>The SMS the local sink holds for one fact about one job, once the capability sent it.</summary>
    private static async Task<(string Language, string Text)> SmsAsync(WorkshopHost host, string jobId, string fact)
    {
        var (_, language, text) = await host.SentSmsAsync(WorkshopOwnerNotifier.EventIdFor(jobId, fact));
        return (language, text);
    }
}
