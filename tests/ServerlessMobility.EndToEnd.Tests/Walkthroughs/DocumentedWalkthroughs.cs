using System.Text.RegularExpressions;
using ServerlessMobility.Testing;

namespace ServerlessMobility.EndToEnd.Tests.Walkthroughs;

/// <summary>One walkthrough of a flow doc: the bash block after a <c>&lt;!-- walkthrough: name; profile: p --&gt;</c> line.</summary>
/// <param name="Profile">The time profile the run command needs (<c>--profile fast</c>), or null for none.</param>
/// <param name="Line">Where the marker is (1-based), for messages.</param>
public sealed record DocumentedWalkthrough(string Doc, string Name, string? Profile, string Script, int Line);

/// <summary>
/// Finds the walkthroughs in docs/flows/*.md. A marker is an HTML comment, invisible on GitHub, on the line right
/// before a ```bash fence; a marker anywhere else is an error, so a walkthrough cannot silently stop being run.
/// </summary>
public static partial class DocumentedWalkthroughs
{
    public static string FlowDocsFolder => RepositoryPaths.InRoot("docs", "flows");

    /// <summary>Every flow doc (file name) with its walkthroughs, in file order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<DocumentedWalkthrough>> ByDoc() =>
        Directory.GetFiles(FlowDocsFolder, "*.md")
            .Order(StringComparer.Ordinal)
            .ToDictionary(path => Path.GetFileName(path), path => Extract(Path.GetFileName(path), File.ReadAllText(path)), StringComparer.Ordinal);

    public static IReadOnlyList<DocumentedWalkthrough> All()
    {
        var all = ByDoc().Values.SelectMany(w => w).ToList();
        var repeated = all.GroupBy(w => w.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        return repeated.Count == 0 ? all : throw new InvalidDataException($"Walkthrough names must be unique: {string.Join(", ", repeated)}.");
    }

    public static IReadOnlyList<DocumentedWalkthrough> Extract(string doc, string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var text = markdown.ReplaceLineEndings("\n");
        var result = new List<DocumentedWalkthrough>();
        foreach (Match marker in AnyMarker().Matches(text))
        {
            var line = text[..marker.Index].Count(c => c == '\n') + 1;
            var block = Block().Match(text, marker.Index);
            if (!block.Success || block.Index != marker.Index)
            {
                throw new InvalidDataException($"{doc}:{line}: a walkthrough marker must be '<!-- walkthrough: name -->' or '<!-- walkthrough: name; profile: fast -->' on the line right before a ```bash fence.");
            }

            var profile = block.Groups["profile"].Success ? block.Groups["profile"].Value : null;
            result.Add(new DocumentedWalkthrough(doc, block.Groups["name"].Value, profile, block.Groups["script"].Value, line));
        }

        return result;
    }

    [GeneratedRegex(@"^<!--\s*walkthrough:", RegexOptions.Multiline)]
    private static partial Regex AnyMarker();

    [GeneratedRegex(@"^<!-- walkthrough: (?<name>[a-z0-9-]+)(; profile: (?<profile>[a-z0-9-]+))? -->\n```bash\n(?<script>.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Block();
}
