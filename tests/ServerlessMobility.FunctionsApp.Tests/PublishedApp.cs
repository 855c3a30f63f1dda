using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessMobility.Testing;

namespace ServerlessMobility.FunctionsApp.Tests;

/// <summary>
/// The Functions app as <c>dotnet publish</c> leaves it for deployment (scripts/test.sh publishes it to
/// .artifacts/functionsapp before the tests run): the worker-indexed function metadata the Functions host
/// reads, the host extensions and the worker configuration.
/// </summary>
public sealed class PublishedApp
{
    private PublishedApp(string directory, IReadOnlyList<PublishedFunction> functions, JsonNode extensions, JsonNode workerConfig)
    {
        Directory = directory;
        Functions = functions;
        Extensions = extensions;
        WorkerConfig = workerConfig;
    }

    public static Lazy<PublishedApp> Instance { get; } = new(Load);

    public string Directory { get; }

    public IReadOnlyList<PublishedFunction> Functions { get; }

    public JsonNode Extensions { get; }

    public JsonNode WorkerConfig { get; }

    public IEnumerable<PublishedFunction> WithTrigger(string type) => Functions.Where(f => f.Trigger.Type == type);

    private static PublishedApp Load()
    {
        var directory = Environment.GetEnvironmentVariable("FUNCTIONS_APP_PUBLISH_DIR") ?? RepositoryPaths.InRoot(".artifacts", "functionsapp");
        var metadata = Path.Combine(directory, "functions.metadata");
        if (!File.Exists(metadata))
        {
            throw new InvalidOperationException($"No published Functions app at {directory}: run scripts/test.sh (it publishes the app first), or " +
                "'dotnet publish functions/ServerlessMobility.FunctionsApp -c Release -o .artifacts/functionsapp'.");
        }

        var functions = JsonNode.Parse(File.ReadAllText(metadata))!.AsArray().Select(f => PublishedFunction.From(f!)).ToList();
        return new PublishedApp(directory, functions,
            JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "extensions.json")))!,
            JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "worker.config.json")))!);
    }
}

public sealed record PublishedBinding(string Name, string Type, string Direction, JsonObject Raw)
{
    public string? Property(string name) => Raw[name]?.ToString();
}

/// <summary>One function of functions.metadata: its name, entry point and bindings.</summary>
public sealed record PublishedFunction(string Name, string EntryPoint, string ScriptFile, IReadOnlyList<PublishedBinding> Bindings)
{
    public PublishedBinding Trigger => Bindings.Single(b => b.Type.EndsWith("Trigger", StringComparison.Ordinal));

    public bool Binds(string type) => Bindings.Any(b => b.Type == type);

    /// <summary>For HTTP functions: "METHOD /api/route" as the core's endpoint invoker keys its routes.</summary>
    public IEnumerable<string> RouteKeys => (Trigger.Raw["methods"]?.AsArray() ?? [])
        .Select(m => Platform.Hosting.CoreEndpointInvoker.RouteKey(m!.ToString(), "/api/" + Trigger.Property("route")));

    public static PublishedFunction From(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var bindings = node["bindings"]!.AsArray().Select(b => new PublishedBinding(
            b!["name"]!.ToString(), b["type"]!.ToString(), b["direction"]?.ToString() ?? string.Empty, b.AsObject())).ToList();
        return new PublishedFunction(node["name"]!.ToString(), node["entryPoint"]!.ToString(), node["scriptFile"]!.ToString(), bindings);
    }

    public override string ToString() => $"{Name} ({Trigger.Type}) -> {EntryPoint}";
}

internal static class JsonNames
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}
