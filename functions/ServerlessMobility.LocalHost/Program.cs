using ServerlessMobility.LocalHost;

var app = LocalHostApplication.Build(args);
await app.RunAsync();

/// <summary>The entry point, public so WebApplicationFactory can start the host in tests.</summary>
public partial class Program;
