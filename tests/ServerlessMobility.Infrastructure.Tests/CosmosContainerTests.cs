using System.Text.RegularExpressions;
using ServerlessMobility.Infrastructure.Tests.Bicep;

namespace ServerlessMobility.Infrastructure.Tests;

/// <summary>
/// The Cosmos containers in infra/ are partitioned as the code expects (the hierarchical key /tenantId, /id
/// of TenantPartition) and cover every
/// container the code registers: with keys disabled the app's identity cannot create containers.
/// </summary>
public partial class CosmosContainerTests(CompiledInfrastructure infrastructure)
{
    private static readonly string[] PlatformContainers = ["orders", "customers", "vehicles", "catalog", "webhook-events", "audit"];

    private string[] BicepContainerNames()
    {
        var containers = ArmTemplate.Single(infrastructure.Main, "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers");
        return [.. containers.Module.ResolveParameter("containerNames").AsArray().Select(n => n!.GetValue<string>())];
    }

    [Fact]
    public void Containers_PartitionKey_IsTheHierarchicalTenantThenIdKey()
    {
        var containers = ArmTemplate.AllResources(infrastructure.Main)
            .Where(r => r.Type == "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers")
            .ToArray();

        Assert.NotEmpty(containers);
        Assert.All(containers, c =>
        {
            var key = c.Properties?["resource"]?["partitionKey"];
            var paths = key?["paths"]?.AsArray().Select(p => p!.GetValue<string>()).ToArray() ?? [];
            Assert.Equal(ServerlessMobility.Storage.Cosmos.TenantPartition.Paths, paths);
            Assert.Equal("MultiHash", key?["kind"]?.GetValue<string>());
        });
    }

    [Fact]
    public void Containers_Names_IncludeThePlatformContainers()
    {
        var names = BicepContainerNames();

        Assert.All(PlatformContainers, expected => Assert.Contains(expected, names));
        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Database_Name_IsTheOneTheCodeReads()
    {
        var database = ArmTemplate.Single(infrastructure.Main, "Microsoft.DocumentDB/databaseAccounts/sqlDatabases");

        Assert.Equal(FunctionAppSettings.SampleValue("CosmosDb__DatabaseName"), database.Module.ResolveParameter("databaseName").GetValue<string>());
    }

    [Fact]
    public void Containers_EveryContainerTheCodeRegisters_ExistsInInfra()
    {
        var names = BicepContainerNames();
        var problems = new List<string>();
        foreach (var (file, name, partitionKeyPath) in RegisteredContainers(problems))
        {
            if (!names.Contains(name, StringComparer.Ordinal))
            {
                problems.Add($"{file}: container '{name}' is not in cosmosContainerNames (infra/main.bicep).");
            }

            if (partitionKeyPath is not null)
            {
                problems.Add($"{file}: container '{name}' names partition key '{partitionKeyPath}'; every container has TenantPartition's key.");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void RegisteredContainers_LiteralAndConstantNames_AreFound()
    {
        var problems = new List<string>();
        var found = RegisteredContainers(problems, [
            ("a.cs", """services.AddCosmosContainer("orders").AddCosmosContainer(Names.Vehicles, "/vin");"""),
            ("b.cs", """public static class Names { public const string Vehicles = "vehicles"; }"""),
        ]);

        Assert.Empty(problems);
        Assert.Equal([("a.cs", "orders", (string?)null), ("a.cs", "vehicles", "/vin")], found);
    }

    /// <summary>AddCosmosContainer("name"[, "/path"]) calls in functions/, with const string names resolved.</summary>
    private static List<(string File, string Name, string? PartitionKeyPath)> RegisteredContainers(
        List<string> problems, IReadOnlyList<(string File, string Text)>? sources = null)
    {
        sources ??= [.. Directory.EnumerateFiles(RepositoryRoot.Path("functions"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(RepositoryRoot.Path(), f), File.ReadAllText(f)))];

        var constants = sources.SelectMany(s => ConstString().Matches(s.Text))
            .GroupBy(m => m.Groups["name"].Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(m => m.Groups["value"].Value).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);

        var found = new List<(string, string, string?)>();
        foreach (var (file, text) in sources)
        {
            foreach (Match call in Registration().Matches(text))
            {
                var argument = call.Groups["name"].Value.Trim();
                var path = call.Groups["path"].Success ? call.Groups["path"].Value : null;
                if (argument.StartsWith('"'))
                {
                    found.Add((file, argument.Trim('"'), path));
                }
                else if (constants.TryGetValue(argument.Split('.')[^1], out var values) && values.Length == 1)
                {
                    found.Add((file, values[0], path));
                }
                else
                {
                    problems.Add($"{file}: AddCosmosContainer({argument}) - use a string literal or a const string so the infra test can check the container exists.");
                }
            }
        }

        return found;
    }

    // services.AddCosmosContainer(<name>[, "<path>"]) - not the method's own declaration (this IServiceCollection ...).
    [GeneratedRegex("""AddCosmosContainer\(\s*(?!this\b)(?<name>"[^"]+"|[A-Za-z_][\w.]*)\s*(,\s*"(?<path>[^"]*)"\s*)?\)""")]
    private static partial Regex Registration();

    [GeneratedRegex("""const\s+string\s+(?<name>\w+)\s*=\s*"(?<value>[^"]*)"\s*;""")]
    private static partial Regex ConstString();
}
