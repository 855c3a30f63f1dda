using System.Collections.Concurrent;
using ServerlessMobility.Testing;

namespace ServerlessMobility.EndToEnd.Tests.Walkthroughs;

/// <summary>
/// The walkthroughs of docs/flows run exactly as written (see <see cref="WalkthroughRunner"/> for the three
/// substitutions), so the docs cannot rot: one test case per walkthrough.
/// </summary>
public partial class WalkthroughTests(PlatformEmulators emulators)
{
    /// <summary>
    /// Hosts at once. The cases of one theory run one after another, so the first case starts every walkthrough
    /// (the longest first) and each case awaits its own: the whole set takes about as long as the rent-to-own cycle.
    /// </summary>
    private const int Concurrency = 3;

    private static readonly SemaphoreSlim Gate = new(Concurrency);
    private static readonly ConcurrentDictionary<string, Task<WalkthroughOutcome>> Runs = new(StringComparer.Ordinal);

    public static TheoryData<string> Walkthroughs => [.. DocumentedWalkthroughs.All().Select(w => w.Name)];

    [Fact]
    public void EveryFlowDoc_HasAWalkthrough_AndTheRequiredOnesAreThere()
    {
        var byDoc = DocumentedWalkthroughs.ByDoc();

        Assert.Equal(["feature-activation.md", "order-to-delivery.md", "rent-to-own.md", "service-contracts.md", "showroom.md", "workshop.md"], byDoc.Keys.Order(StringComparer.Ordinal));

        Assert.All(byDoc, doc => Assert.True(doc.Value.Count > 0, $"docs/flows/{doc.Key} has no walkthrough"));

        // The workshop's full walkthrough is a list of HTTP requests on a fixed clock, run by WorkshopWalkthroughTests;
        // its bash block shows how to send them by hand.
        Assert.Contains("```http", File.ReadAllText(Path.Combine(DocumentedWalkthroughs.FlowDocsFolder, "workshop.md")), StringComparison.Ordinal);
        var names = DocumentedWalkthroughs.All().Select(w => w.Name).ToList();
        Assert.Contains("order-happy-path", names);
        Assert.Contains("order-factory-rejection", names);
        Assert.Contains("feature-purchase-demo-vehicle", names);
        Assert.Contains("rent-to-own-default-immobilize", names);
        Assert.Contains("service-contract-sell-claim-cancel", names);
        Assert.Contains("service-contract-monthly-decline-retry", names);
        Assert.Contains("workshop-send-a-block", names);
        Assert.Contains("showroom-financing-quote", names);
        Assert.Contains("showroom-inventory-search", names);
        Assert.Contains("showroom-leads", names);
        Assert.Contains("showroom-saved-searches-analytics", names);
        Assert.Contains("showroom-test-drive", names);
        Assert.Equal("fast", DocumentedWalkthroughs.All().Single(w => w.Name == "rent-to-own-default-immobilize").Profile);
    }

    /// <summary>
    /// The walkthroughs run under <c>pipefail</c>. A reader that stops early (<c>head</c>, <c>grep -q</c>) closes the
    /// pipe while curl is still writing a larger body, and curl's write error (23) then fails the script at random:
    /// a download meant to be inspected is saved to a file first.
    /// </summary>
    [Fact]
    public void NoWalkthrough_PipesADownloadIntoAReaderThatStopsEarly()
    {
        var offending = DocumentedWalkthroughs.All()
            .SelectMany(w => w.Script.Split('\n').Select((line, index) => (w, line, index)))
            .Where(x => x.line.Contains("curl ", StringComparison.Ordinal) && EarlyStoppingReader().IsMatch(x.line))
            .Select(x => $"docs/flows/{x.w.Doc}:{x.w.Line + 2 + x.index}: {x.line.Trim()}")
            .ToList();

        Assert.True(offending.Count == 0, "Pipes that can cut curl off:\n" + string.Join('\n', offending));
        Assert.Matches(EarlyStoppingReader(), "curl -sf $API/x | head -c 2 | grep -q PK");
        Assert.DoesNotMatch(EarlyStoppingReader(), "curl -sf $API/x | jq -e '.a'");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\|\s*(head\b|grep\s+(-\w*q|--quiet))")]
    private static partial System.Text.RegularExpressions.Regex EarlyStoppingReader();

    [Fact]
    public void Markers_OnlyRightBeforeABashFence()
    {
        const string Doc = "Text\n<!-- walkthrough: a-b; profile: fast -->\n```bash\necho 1\n```\n\n<!-- walkthrough: c -->\n```bash\necho 2\n```\n";

        var found = DocumentedWalkthroughs.Extract("x.md", Doc);
        var misplaced = Assert.Throws<InvalidDataException>(() => DocumentedWalkthroughs.Extract("y.md", "<!-- walkthrough: a -->\n\n```bash\necho\n```\n"));

        Assert.Equal([("a-b", "fast", "echo 1\n", 2), ("c", (string?)null, "echo 2\n", 7)], found.Select(w => (w.Name, w.Profile, w.Script, w.Line)));
        Assert.Contains("y.md:1", misplaced.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_OnlyTheDocumentedOriginPortAndSimulator()
    {
        const string Script = "API=http://127.0.0.1:7071/api\ndotnet run --project functions/ServerlessMobility.VehicleSimulator -- --vin X --api http://127.0.0.1:7071/ --port 1883 --duration-s 18830\necho 17071 1883";

        var rewritten = WalkthroughRunner.Rewrite(Script, 40001, 40002, "/t/sim.dll");

        Assert.Equal("API=http://127.0.0.1:40001/api\ndotnet '/t/sim.dll' --vin X --api http://127.0.0.1:40001/ --port 40002 --duration-s 18830\necho 17071 1883", rewritten);
    }

    [Fact]
    public void LocalSettings_KeysGeneratedAsTheRunCommandDoes()
    {
        var settings = System.Text.Json.JsonDocument.Parse(WalkthroughRunner.LocalSettingsAsRunLocalMakesThem()).RootElement.GetProperty("Values");

        Assert.All(WalkthroughRunner.GeneratedKeys, key => Assert.Equal(32, Convert.FromBase64String(settings.GetProperty(key).GetString()!).Length));
        Assert.Equal("Simulated", settings.GetProperty("CarAsAService__Outbound__Mode").GetString());
    }

    [Theory]
    [MemberData(nameof(Walkthroughs))]
    public async Task Walkthrough_RunsGreen(string name)
    {
        StartAll();

        var outcome = await Runs[name];

        TestContext.Current.TestOutputHelper?.WriteLine($"{outcome.Walkthrough.Doc}:{outcome.Walkthrough.Line} ({outcome.Elapsed.TotalSeconds:F0} s):\n{outcome.ScriptOutput}");
        if (outcome.ExitCode != 0)
        {
            Assert.Fail($"""
                Walkthrough '{name}' (docs/flows/{outcome.Walkthrough.Doc}, line {outcome.Walkthrough.Line}) {(outcome.ExitCode is null ? "ran out of time" : $"exited with {outcome.ExitCode}")} after {outcome.Elapsed.TotalSeconds:F0} s.
                --- its output ---
                {outcome.ScriptOutput}
                --- the host's last output ---
                {string.Join('\n', outcome.HostOutput.Split('\n').Where(l => !l.Contains("Demo token", StringComparison.Ordinal)).TakeLast(60))}
                """);
        }
    }

    private void StartAll()
    {
        // The longest (fast-profile cycles) first, so they overlap the short ones instead of trailing them.
        foreach (var walkthrough in DocumentedWalkthroughs.All().OrderBy(w => w.Profile is null))
        {
            Runs.GetOrAdd(walkthrough.Name, _ => RunGatedAsync(walkthrough));
        }
    }

    private async Task<WalkthroughOutcome> RunGatedAsync(DocumentedWalkthrough walkthrough)
    {
        await Gate.WaitAsync();
        try
        {
            return await WalkthroughRunner.RunAsync(walkthrough, emulators);
        }
        finally
        {
            Gate.Release();
        }
    }
}
