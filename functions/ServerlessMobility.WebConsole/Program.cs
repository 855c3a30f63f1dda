using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using ServerlessMobility.WebConsole.Api;
using ServerlessMobility.WebConsole.Shell;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");

// The API is on the console's own origin: the local host serves both, and in Azure the Static Web App forwards /api to
// the Functions app. So no CORS and no API address to configure.
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = new Uri(builder.HostEnvironment.BaseAddress) });
builder.Services.AddScoped<ConsoleSession>();
builder.Services.AddScoped<ConsoleApi>();
builder.Services.AddSingleton(TimeProvider.System);

await builder.Build().RunAsync();
