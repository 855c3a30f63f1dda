namespace ServerlessMobility.Core.Tests.Architecture;

/// <summary>ADR 0004's names, checked on the compiled modules so they cannot drift back.</summary>
public class NamingConventionTests
{
    [Fact]
    public void EndpointGroups_AreNamedEndpoints_NeverApi()
    {
        var modules = ModuleBoundaryTests.KernelAndModules
            .Where(a => ModuleBoundaryTests.Modules.Contains(a.GetName().Name, StringComparer.Ordinal))
            .ToList();
        var misnamed = modules
            .SelectMany(a => a.GetTypes())
            .Where(t => t.Name.EndsWith("Api", StringComparison.Ordinal))
            .Select(t => t.FullName)
            .ToList();

        // Guards the scan: every module is there, and each has endpoint groups to name.
        Assert.Equal(ModuleBoundaryTests.Modules.Length, modules.Count);
        Assert.All(modules, a => Assert.Contains(a.GetTypes(), t => t.Name.EndsWith("Endpoints", StringComparison.Ordinal)));
        Assert.Empty(misnamed);
    }
}
