using ServerlessMobility.Testing;

[assembly: AssemblyFixture(typeof(PlatformEmulators))]
