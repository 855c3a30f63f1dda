using ServerlessMobility.Testing;

[assembly: AssemblyFixture(typeof(PlatformEmulators))]

// The end-to-end classes mostly wait on the real clock (retries and months of a few seconds), not on the
// CPU: four at a time keeps the project's run short on a 2-core machine.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
