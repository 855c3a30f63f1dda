using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using ServerlessMobility.WebConsole.Api;
using ServerlessMobility.WebConsole.Shell;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");

// The API is on the console's own origin: the local host serves both, and in Azure the Static Web App forwards /api to
// the Functions app. So no CORS and no API address to configure.
var baseAddress = new Uri(builder.HostEnvironment.BaseAddress);
builder.Services.AddScoped(_ => new HttpClient { BaseAddress = baseAddress });

using (var configClient = new HttpClient { BaseAddress = baseAddress })
{
    var signIn = await ConsoleSignIn.LoadAsync(configClient);
    builder.Services.AddSingleton(signIn);
    if (signIn.IsOidc)
    {
        // Authorization code with PKCE (the library's only flow for "code"); the id token only names the user, the
        // access token for the API's scope is what ConsoleApi sends, and its roles are what the API reads.
        builder.Services.AddOidcAuthentication(options =>
        {
            options.ProviderOptions.Authority = signIn.Authority;
            options.ProviderOptions.ClientId = signIn.ClientId;
            options.ProviderOptions.ResponseType = "code";
            foreach (var scope in signIn.Scopes!)
            {
                options.ProviderOptions.DefaultScopes.Add(scope);
            }
        });
    }
}

builder.Services.AddScoped<ConsoleSession>();
builder.Services.AddScoped<ConsoleApi>();
builder.Services.AddSingleton(TimeProvider.System);

await builder.Build().RunAsync();
