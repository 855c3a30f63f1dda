using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ServerlessMobility.FunctionsApp.Tests;

/// <summary>The bindings declared in the Functions app's sources, read with Roslyn.</summary>
internal sealed record HttpBinding(string FunctionName, IReadOnlyList<string> Methods, string Route, string? RouteKey);

internal sealed record DurableBinding(string FunctionName, string Kind, string? TargetName);

/// <summary>An Event Hubs or timer trigger and the core method its single call reaches (the outermost invocation).</summary>
internal sealed record TriggerBinding(string FunctionName, string Trigger, string CoreCall);

internal sealed record FunctionBindings(
    IReadOnlyList<HttpBinding> Http,
    IReadOnlyList<DurableBinding> Orchestrators,
    IReadOnlyList<DurableBinding> Activities,
    IReadOnlyList<TriggerBinding> Triggers,
    IReadOnlyList<string> NotThin)
{
    public static FunctionBindings FromDirectory(string directory) =>
        FromSources(Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));

    public static FunctionBindings FromSources(IEnumerable<string> sources)
    {
        var http = new List<HttpBinding>();
        var orchestrators = new List<DurableBinding>();
        var activities = new List<DurableBinding>();
        var triggers = new List<TriggerBinding>();
        var notThin = new List<string>();
        foreach (var source in sources)
        {
            var root = CSharpSyntaxTree.ParseText(source).GetCompilationUnitRoot();
            foreach (var method in root.DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                var function = Attribute(method.AttributeLists, "Function");
                if (function is null)
                {
                    continue;
                }

                var name = StringArgument(function, 0) ?? "?";
                var literals = method.DescendantNodes().OfType<LiteralExpressionSyntax>()
                    .Where(l => l.IsKind(SyntaxKind.StringLiteralExpression) && !l.Ancestors().OfType<AttributeSyntax>().Any())
                    .Select(l => l.Token.ValueText)
                    .ToArray();
                if (method.ExpressionBody is null)
                {
                    // One call into the core, nothing else: a block body is where logic would creep in.
                    notThin.Add(name);
                }

                foreach (var parameter in method.ParameterList.Parameters)
                {
                    if (Attribute(parameter.AttributeLists, "HttpTrigger") is { } trigger)
                    {
                        var args = trigger.ArgumentList?.Arguments ?? default;
                        var methods = args.Where(a => a.NameEquals is null && a.Expression is LiteralExpressionSyntax).Select(a => ((LiteralExpressionSyntax)a.Expression).Token.ValueText.ToUpperInvariant()).ToArray();
                        var route = args.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Route")?.Expression is LiteralExpressionSyntax r ? r.Token.ValueText : string.Empty;
                        http.Add(new HttpBinding(name, methods, route, literals.FirstOrDefault()));
                    }
                    else if (Attribute(parameter.AttributeLists, "OrchestrationTrigger") is not null)
                    {
                        orchestrators.Add(new DurableBinding(name, "orchestrator", literals.FirstOrDefault()));
                    }
                    else if (Attribute(parameter.AttributeLists, "ActivityTrigger") is not null)
                    {
                        activities.Add(new DurableBinding(name, "activity", literals.FirstOrDefault()));
                    }
                    else if (Attribute(parameter.AttributeLists, "EventHubTrigger") is not null)
                    {
                        triggers.Add(new TriggerBinding(name, "EventHubTrigger", OutermostCall(method)));
                    }
                    else if (Attribute(parameter.AttributeLists, "TimerTrigger") is not null)
                    {
                        triggers.Add(new TriggerBinding(name, "TimerTrigger", OutermostCall(method)));
                    }
                }
            }
        }

        return new FunctionBindings(http, orchestrators, activities, triggers, notThin);
    }

    private static string OutermostCall(MethodDeclarationSyntax method) =>
        method.ExpressionBody?.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member }
            ? member.Name.Identifier.ValueText
            : string.Empty;

    private static AttributeSyntax? Attribute(SyntaxList<AttributeListSyntax> lists, string name) =>
        lists.SelectMany(l => l.Attributes).FirstOrDefault(a => a.Name.ToString() is var n && (n == name || n == name + "Attribute" || n.EndsWith("." + name, StringComparison.Ordinal)));

    private static string? StringArgument(AttributeSyntax attribute, int index) =>
        attribute.ArgumentList?.Arguments.ElementAtOrDefault(index)?.Expression is LiteralExpressionSyntax literal ? literal.Token.ValueText : null;
}
