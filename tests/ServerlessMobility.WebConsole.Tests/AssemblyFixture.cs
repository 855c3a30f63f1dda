using ServerlessMobility.Testing;
using ServerlessMobility.WebConsole.Tests;

[assembly: AssemblyFixture(typeof(PlatformEmulators))]
[assembly: AssemblyFixture(typeof(ConsoleBrowser))]
