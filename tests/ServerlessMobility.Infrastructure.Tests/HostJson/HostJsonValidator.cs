using System.Text.Json;

namespace ServerlessMobility.Infrastructure.Tests.HostJson;

/// <summary>
/// Checks the shape of an Azure Functions host.json (schema version 2.0). The Functions host ignores
/// unknown or misplaced sections silently, so a section nested at the wrong level (for example
/// <c>extensions</c> under <c>logging</c>) would simply not apply; this finds such mistakes.
/// </summary>
internal static class HostJsonValidator
{
    /// <summary>Top-level properties the Functions host reads.</summary>
    private static readonly HashSet<string> RootSections = new(StringComparer.Ordinal)
    {
        "version", "aggregator", "concurrency", "console", "customHandler", "extensions", "extensionBundle",
        "functions", "functionTimeout", "healthMonitor", "logging", "managedDependency", "retry", "singleton",
        "telemetryMode", "watchDirectories", "watchFiles",
    };

    /// <summary>Properties allowed inside <c>logging</c>.</summary>
    private static readonly HashSet<string> LoggingSections = new(StringComparer.Ordinal)
    {
        "fileLoggingMode", "logLevel", "applicationInsights", "console", "openTelemetry",
    };

    /// <summary>Binding extensions configured under <c>extensions</c>.</summary>
    private static readonly HashSet<string> Extensions = new(StringComparer.Ordinal)
    {
        "http", "durableTask", "eventHubs", "serviceBus", "queues", "blobs", "cosmosDB", "eventGrid", "tables",
        "sendGrid", "signalR", "kafka", "rabbitMQ", "sql", "mcp",
    };

    public static IReadOnlyList<string> Validate(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            return [$"host.json is not valid JSON: {ex.Message}"];
        }

        using (document)
        {
            var errors = new List<string>();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ["host.json must be a JSON object."];
            }

            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0")
            {
                errors.Add("\"version\" must be \"2.0\" at the root.");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (!RootSections.Contains(property.Name))
                {
                    errors.Add(Extensions.Contains(property.Name)
                        ? $"\"{property.Name}\" is a binding extension: it belongs under \"extensions\", not at the root."
                        : $"\"{property.Name}\" is not a host.json section.");
                }
            }

            if (root.TryGetProperty("logging", out var logging))
            {
                CheckObject(logging, "logging", LoggingSections, errors);
            }

            if (root.TryGetProperty("extensions", out var extensions))
            {
                CheckObject(extensions, "extensions", Extensions, errors);
            }

            return errors;
        }
    }

    private static void CheckObject(JsonElement section, string path, HashSet<string> allowed, List<string> errors)
    {
        if (section.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"\"{path}\" must be an object.");
            return;
        }

        foreach (var property in section.EnumerateObject())
        {
            if (allowed.Contains(property.Name))
            {
                continue;
            }

            errors.Add(RootSections.Contains(property.Name)
                ? $"\"{property.Name}\" is nested under \"{path}\"; it is a root section of host.json and is ignored there."
                : Extensions.Contains(property.Name) && path != "extensions"
                    ? $"\"{property.Name}\" is nested under \"{path}\"; it belongs under \"extensions\"."
                    : $"\"{path}.{property.Name}\" is not a known setting.");
        }
    }
}
