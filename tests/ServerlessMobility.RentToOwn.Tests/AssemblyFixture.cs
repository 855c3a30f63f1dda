using ServerlessMobility.Testing;

[assembly: AssemblyFixture(typeof(PlatformEmulators))]

// The collection tests spend most of their time waiting for durable timers on the real clock; more classes
// at once than the two cores keeps those waits from queuing behind each other.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
