using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using ArchUnitNET.xUnitV3;
using ServerlessMobility.CarAsAService;
using ServerlessMobility.Integrations.Outbound;
using ServerlessMobility.Platform;
using ServerlessMobility.RentToOwn;
using ServerlessMobility.ServiceContracts;
using ServerlessMobility.Showroom;
using ServerlessMobility.Storage;
using ServerlessMobility.Telemetry;
using ServerlessMobility.Workshop;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace ServerlessMobility.Core.Tests.Architecture;

/// <summary>
/// The module boundaries of ADR 0004: a module (one product line) reaches the kernel and never another module;
/// the kernel names no module. Modules talk through the kernel's contracts (Platform/Vehicles, a message on the
/// bus). Project references already stop most violations at compile time; these rules also catch a reference
/// added to a module's project file "just for one type", and namespaces that drift from their assembly.
/// </summary>
public class ModuleBoundaryTests
{
    /// <summary>Every product-line module, by its root namespace (and assembly name).</summary>
    public static readonly string[] Modules = ["ServerlessMobility.CarAsAService", "ServerlessMobility.RentToOwn", "ServerlessMobility.Telemetry", "ServerlessMobility.ServiceContracts", "ServerlessMobility.Workshop", "ServerlessMobility.Showroom"];

    /// <summary>The kernel: what every module may use.</summary>
    public static readonly string[] Kernel = ["ServerlessMobility.Platform", "ServerlessMobility.Storage", "ServerlessMobility.Integrations"];

    public static readonly System.Reflection.Assembly[] KernelAndModules =
    [
        typeof(ServerlessMobilityApi).Assembly,
        typeof(StorageServiceCollectionExtensions).Assembly,
        typeof(OutboundHttp).Assembly,
        typeof(CarAsAServiceModule).Assembly,
        typeof(RentToOwnModule).Assembly,
        typeof(TelemetryModule).Assembly,
        typeof(ServiceContractsModule).Assembly,
        typeof(WorkshopModule).Assembly,
        typeof(ShowroomModule).Assembly,
    ];

    private static readonly ArchUnitNET.Domain.Architecture Platform = new ArchLoader().LoadAssemblies(KernelAndModules).Build();

    public static TheoryData<string> ModuleNames => [.. Modules];

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void Module_DependsOnNoOtherModule(string module)
    {
        NoOtherModuleRule(module).Check(Platform);
    }

    [Fact]
    public void Kernel_DependsOnNoModule()
    {
        IArchRule rule = Types().That().ResideInNamespaceOrBelow(Kernel[0]).Or().ResideInNamespaceOrBelow(Kernel[1]).Or().ResideInNamespaceOrBelow(Kernel[2])
            .Should().NotDependOnAny(AnyOf(Modules))
            .Because("the kernel is shared by every product line and must not know any of them");

        rule.Check(Platform);
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void ModuleTypes_LiveInTheirModulesAssembly(string module)
    {
        // A type in a module's namespace compiled into another assembly would dodge the project-reference check.
        var strays = Platform.Types
            .Where(t => t.Namespace.FullName == module || t.Namespace.FullName.StartsWith(module + ".", StringComparison.Ordinal))
            .Where(t => t.Assembly.Name.Split(',')[0] != module)
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(strays);
    }

    [Fact]
    public void ModuleList_NamesEveryModuleTheHostsRegister()
    {
        // A new module must be added here as well, or its boundaries go unchecked.
        var registered = ServerlessMobility.Hosting.PlatformServices.Modules.Select(m => m.GetType().Assembly.GetName().Name).Order(StringComparer.Ordinal);

        Assert.Equal(Modules.Order(StringComparer.Ordinal), registered);
    }

    [Fact]
    public void NoOtherModuleRule_ReportsAModuleThatReachesIntoAnother()
    {
        // Seen failing: the probe below sits in Car-as-a-Service's namespace and uses a rent-to-own type.
        var withProbe = new ArchLoader().LoadAssemblies(typeof(ServerlessMobility.CarAsAService.BoundaryProbe.ReachesIntoRentToOwn).Assembly, typeof(RentToOwnModule).Assembly, typeof(TelemetryModule).Assembly).Build();
        var rule = NoOtherModuleRule("ServerlessMobility.CarAsAService");

        var failures = rule.Evaluate(withProbe).Where(r => !r.Passed).Select(r => r.Description).ToList();

        Assert.Contains(failures, d => d.Contains(nameof(ServerlessMobility.CarAsAService.BoundaryProbe.ReachesIntoRentToOwn), StringComparison.Ordinal));
    }

    private static ArchUnitNET.Fluent.Syntax.Elements.Types.TypesShouldConjunctionWithDescription NoOtherModuleRule(string module)
    {
        var others = Modules.Where(m => m != module).ToArray();
        return Types().That().ResideInNamespaceOrBelow(module)
            .Should().NotDependOnAny(AnyOf(others))
            .Because("modules talk through the kernel's contracts only (ADR 0004)");
    }

    /// <summary>Types in any of the namespaces (and below), however many modules there are.</summary>
    private static ArchUnitNET.Fluent.Syntax.Elements.Types.GivenTypesConjunction AnyOf(string[] namespaces)
    {
        var types = Types().That().ResideInNamespaceOrBelow(namespaces[0]);
        foreach (var name in namespaces.Skip(1))
        {
            types = types.Or().ResideInNamespaceOrBelow(name);
        }

        return types;
    }
}
