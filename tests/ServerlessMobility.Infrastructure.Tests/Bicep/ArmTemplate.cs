using System.Text.Json.Nodes;

namespace ServerlessMobility.Infrastructure.Tests.Bicep;

/// <summary>One resource of a compiled template, with the module (nested deployment) it belongs to.</summary>
internal sealed record ArmResource(string Type, JsonObject Node, ArmModule Module)
{
    public JsonObject? Properties => Node["properties"] as JsonObject;
}

/// <summary>A template: main.json itself or a module's nested template, with the values main passes it.</summary>
internal sealed record ArmModule(string Name, JsonObject Template, JsonObject? ParameterValues, ArmModule? Parent)
{
    public IEnumerable<ArmResource> Resources => ArmTemplate.ResourcesOf(Template).Select(r => new ArmResource(r["type"]!.GetValue<string>(), r, this));

    /// <summary>The value of a template variable, which must be a literal.</summary>
    public JsonNode Variable(string name) =>
        Template["variables"]?[name] ?? throw new InvalidOperationException($"Template '{Name}' has no variable '{name}'.");

    /// <summary>
    /// Resolves what main passes for a module parameter when it is a literal or one of main's variables
    /// (the shapes the tests rely on); anything else is reported, not guessed.
    /// </summary>
    public JsonNode ResolveParameter(string name)
    {
        var value = ParameterValues?[name]?["value"]
            ?? throw new InvalidOperationException($"Module '{Name}' gets no value for parameter '{name}'.");
        if (value is JsonValue text && text.TryGetValue<string>(out var expression) && expression.StartsWith("[variables('", StringComparison.Ordinal))
        {
            var variable = expression["[variables('".Length..expression.IndexOf("')", StringComparison.Ordinal)];
            return (Parent ?? throw new InvalidOperationException("A root template has no caller.")).Variable(variable);
        }

        return value;
    }
}

internal static class ArmTemplate
{
    /// <summary>Resources of a template: an array, or an object keyed by symbolic name (languageVersion 2.0).</summary>
    public static IEnumerable<JsonObject> ResourcesOf(JsonObject template) => template["resources"] switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject byName => byName.Select(p => p.Value).OfType<JsonObject>(),
        _ => [],
    };

    /// <summary>Every template in the tree: main and each module, depth first.</summary>
    public static IEnumerable<ArmModule> Modules(JsonObject mainTemplate)
    {
        var root = new ArmModule("main", mainTemplate, null, null);
        return Walk(root);

        static IEnumerable<ArmModule> Walk(ArmModule module)
        {
            yield return module;
            foreach (var resource in ResourcesOf(module.Template))
            {
                if (resource["type"]?.GetValue<string>() == "Microsoft.Resources/deployments"
                    && resource["properties"]?["template"] is JsonObject nested)
                {
                    var child = new ArmModule(resource["name"]!.GetValue<string>(), nested, resource["properties"]?["parameters"] as JsonObject, module);
                    foreach (var descendant in Walk(child))
                    {
                        yield return descendant;
                    }
                }
            }
        }
    }

    public static IEnumerable<ArmResource> AllResources(JsonObject mainTemplate) =>
        Modules(mainTemplate).SelectMany(m => m.Resources);

    public static ArmResource Single(JsonObject mainTemplate, string type) =>
        AllResources(mainTemplate).Where(r => string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase)).ToArray() switch
        {
            [var one] => one,
            var many => throw new InvalidOperationException($"Expected one {type}, found {many.Length}."),
        };
}
