using System.Reflection;
using System.Xml.Linq;

namespace ServerlessMobility.Core.Tests.Architecture;

/// <summary>
/// The kernel and the modules are host-neutral: it is written with the Durable Task SDK's programming model
/// (Microsoft.DurableTask.*, which brings DurableTask.Core's types with it) and never with a host's SDK
/// (the Functions worker, WebJobs), a backend (the Durable Task Framework's Azure Storage provider) or a
/// host-side messaging client (Event Hubs, Service Bus, IoT Hub): those belong to the hosts.
/// </summary>
public class HostNeutralityTests
{
    private static readonly string[] ForbiddenPrefixes =
    [
        "Microsoft.Azure.Functions",
        "Microsoft.Azure.WebJobs",
        "DurableTask.AzureStorage",
        "Microsoft.Azure.DurableTask.AzureStorage",
        "Microsoft.DurableTask.Worker",
        "Azure.Messaging.EventHubs",
        "Azure.Messaging.ServiceBus",
        "Microsoft.Azure.Devices",
    ];

    public static TheoryData<string> HostNeutralAssemblies => [.. ModuleBoundaryTests.KernelAndModules.Select(a => a.GetName().Name!)];

    [Theory]
    [MemberData(nameof(HostNeutralAssemblies))]
    public void KernelAndModuleAssemblies_ReferenceNoAzureOnlySdk(string assemblyName)
    {
        var assembly = ModuleBoundaryTests.KernelAndModules.Single(a => a.GetName().Name == assemblyName);

        var offending = ForbiddenReferences(assembly);

        Assert.Empty(offending);
    }

    [Fact]
    public void ForbiddenReferences_DetectsAnAssemblyThatUsesAForbiddenSdk()
    {
        // Watch the rule fail once: an assembly whose references include a forbidden name is reported.
        var offending = ForbiddenReferences([new AssemblyName("DurableTask.AzureStorage"), new AssemblyName("Microsoft.DurableTask.Abstractions"), new AssemblyName("System.Runtime")]);

        Assert.Equal(["DurableTask.AzureStorage"], offending);
    }

    [Theory]
    [MemberData(nameof(HostNeutralAssemblies))]
    public void KernelAndModuleProjects_HaveNoForbiddenPackageReference(string projectName)
    {
        var project = XDocument.Load(Path.Combine(FindRoot(), "functions", projectName, projectName + ".csproj"));
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
