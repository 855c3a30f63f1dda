using ServerlessMobility.Infrastructure.Tests.Bicep;

[assembly: AssemblyFixture(typeof(CompiledInfrastructure))]
