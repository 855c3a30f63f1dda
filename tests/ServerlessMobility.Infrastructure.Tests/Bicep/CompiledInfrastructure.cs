using System.Text.Json.Nodes;

namespace ServerlessMobility.Infrastructure.Tests.Bicep;

/// <summary>infra/main.bicep and the environments' parameter files, compiled once per test run.</summary>
public sealed class CompiledInfrastructure
{
    public static readonly string[] Environments = ["dev", "test", "prod"];

    private readonly Lazy<JsonObject> _main = new(() => BicepCli.Build(RepositoryRoot.Path("infra", "main.bicep")));
    private readonly Dictionary<string, Lazy<JsonObject>> _parameters = Environments.ToDictionary(
        e => e,
        e => new Lazy<JsonObject>(() => BicepCli.BuildParams(RepositoryRoot.Path("infra", "parameters", $"{e}.bicepparam"))));

    /// <summary>The ARM template of main.bicep with every module inlined as a nested deployment.</summary>
    public JsonObject Main => _main.Value;

    /// <summary>The deployment parameters JSON of one environment.</summary>
    public JsonObject Parameters(string environment) => _parameters[environment].Value;
}
