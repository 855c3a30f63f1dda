using System.Reflection;
using System.Xml.Linq;

namespace ServerlessMobility.Core.Tests.Architecture;

/// <summary>
/// The core must never depend on the Azure-only SDKs: they cannot be restored on our machines, and a
/// core that needed them could not be tested here.
/// </summary>
public class CoreDependencyTests
{
    private static readonly string[] ForbiddenPrefixes =
    [
        "Microsoft.Azure.Functions",
        "Microsoft.DurableTask",
        "DurableTask.",
        "Azure.Messaging.EventHubs",
        "Azure.Messaging.ServiceBus",
        "Microsoft.Azure.Devices",
        "Microsoft.Azure.WebJobs",
    ];

    [Fact]
    public void CoreAssembly_ReferencesNoAzureOnlySdk()
    {
        var core = typeof(ServerlessMobilityApi).Assembly;
        Assert.Equal("ServerlessMobility.Core", core.GetName().Name);

        var offending = ForbiddenReferences(core);

        Assert.Empty(offending);
    }

    [Fact]
    public void ForbiddenReferences_DetectsAnAssemblyThatUsesAForbiddenSdk()
    {
        // Watch the rule fail once: an assembly whose references include a forbidden name is reported.
        var offending = ForbiddenReferences([new AssemblyName("Microsoft.DurableTask.Abstractions"), new AssemblyName("System.Runtime")]);

        Assert.Equal(["Microsoft.DurableTask.Abstractions"], offending);
    }

    [Fact]
    public void CoreProject_HasNoForbiddenPackageReference()
    {
        var project = XDocument.Load(Path.Combine(FindRoot(), "functions", "ServerlessMobility.Core", "ServerlessMobility.Core.csproj"));
        var packages = project.Descendants("PackageReference").Select(e => (string?)e.Attribute("Include") ?? string.Empty);

        Assert.DoesNotContain(packages, p => ForbiddenPrefixes.Any(prefix => p.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)));
    }

    private static string[] ForbiddenReferences(Assembly assembly) => ForbiddenReferences(assembly.GetReferencedAssemblies());

    private static string[] ForbiddenReferences(IEnumerable<AssemblyName> references) =>
        references.Select(r => r.Name ?? string.Empty)
            .Where(name => ForbiddenPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            .ToArray();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ServerlessMobility.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Repository root not found.");
    }
}
