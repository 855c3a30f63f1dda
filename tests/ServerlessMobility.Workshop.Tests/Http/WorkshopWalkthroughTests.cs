using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Workshop.Tests.Http;

/// <summary>
/// docs/flows/workshop.md's walkthrough is executed, not just read: every ```http block is sent in order through the real
/// pipeline and must answer the status it shows, so the page cannot drift from what the API does.
/// </summary>
public sealed partial class WorkshopWalkthroughTests(PlatformEmulators emulators)
{
    [Fact]
    public async Task Walkthrough_EveryRequestAnswersAsDocumented_AndTheJobEndsPaid()
    {
        var page = await File.ReadAllTextAsync(RepositoryPaths.InRoot("docs", "flows", "workshop.md"), TestContext.Current.CancellationToken);
        var steps = Parse(page);
        Assert.True(steps.Count >= 15, $"The walkthrough has {steps.Count} requests; the page lost its blocks?");

        await using var host = WorkshopHost.Start(emulators);
        var captured = new Dictionary<string, string>(StringComparer.Ordinal);
        var last = default(JsonElement);
        foreach (var step in steps)
        {
            var path = Substitute(step.Target, captured);
            var token = step.Caller is null ? null : host.Token(step.Caller.Value.Subject, step.Caller.Value.Role);
            using var response = await host.SendAsync(new HttpMethod(step.Method), path, token, step.Body is null ? null : JsonDocument.Parse(Substitute(step.Body, captured)).RootElement);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == step.Expect, $"{step.Method} {step.Target}: the page says {(int)step.Expect}, the API answered {(int)response.StatusCode} {text}");
            last = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            foreach (var (name, property) in step.Captures)
            {
                captured[name] = last.GetProperty(property).GetString()!;
            }
        }

        Assert.Equal("Paid", last.GetProperty("status").GetString());
        Assert.Equal(251.09m, last.GetProperty("invoice").GetProperty("gross").GetProperty("amount").GetDecimal());
    }

    private sealed record Step(string Method, string Target, (string Role, string Subject)? Caller, HttpStatusCode Expect, IReadOnlyList<(string Name, string Property)> Captures, string? Body);

    private static List<Step> Parse(string page)
    {
        var steps = new List<Step>();
        foreach (Match block in HttpBlock().Matches(page))
        {
            var text = block.Groups[1].Value.Replace("\r\n", "\n", StringComparison.Ordinal);
            var split = text.IndexOf("\n\n", StringComparison.Ordinal);
            var head = (split < 0 ? text : text[..split]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var body = split < 0 ? null : text[(split + 2)..].Trim();
            var request = head[0].Split(' ', 2);
            var headers = head.Skip(1).Select(h => h.Split(':', 2)).ToDictionary(h => h[0].Trim(), h => h[1].Trim(), StringComparer.Ordinal);
            var caller = headers["As"] == "anonymous" ? ((string, string)?)null : (headers["As"].Split(' ')[0], headers["As"].Split(' ')[1]);
            var captures = headers.TryGetValue("Capture", out var capture)
                ? capture.Split(',').Select(c => c.Split('=')).Select(c => (c[0].Trim(), c[1].Trim())).ToList()
                : [];
            steps.Add(new Step(request[0], request[1], caller, (HttpStatusCode)int.Parse(headers["Expect"], System.Globalization.CultureInfo.InvariantCulture), captures,
                string.IsNullOrEmpty(body) ? null : body));
        }

        return steps;
    }

    private static string Substitute(string text, Dictionary<string, string> captured) =>
        Placeholder().Replace(text, m => captured.TryGetValue(m.Groups[1].Value, out var value)
            ? value
            : throw new InvalidOperationException($"The walkthrough uses {{{{{m.Groups[1].Value}}}}} before capturing it."));

    [GeneratedRegex("```http\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex HttpBlock();

    [GeneratedRegex("\\{\\{([A-Za-z]+)\\}\\}")]
    private static partial Regex Placeholder();
}
