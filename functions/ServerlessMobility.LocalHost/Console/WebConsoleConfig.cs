using ServerlessMobility.WebConsole.Api;

namespace ServerlessMobility.LocalHost;

/// <summary>
/// The console's <c>console-config.json</c> (docs/console.md, "Sign in"), answered from this host's configuration
/// (<c>Console:SignIn:Mode</c>, <c>Authority</c>, <c>ClientId</c>, <c>Scopes</c>) so one build of the console signs in
/// with development tokens here and through an identity provider where the API validates that provider's tokens.
/// </summary>
internal static class WebConsoleConfig
{
    public const string Section = "Console:SignIn";

    public static ConsoleSignIn SignIn(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return new ConsoleSignIn(
            section["Mode"] is { Length: > 0 } mode ? mode : ConsoleSignIn.DevMode,
            section["Authority"],
            section["ClientId"],
            section.GetSection("Scopes").Get<string[]>());
    }

    public static void MapWebConsoleConfig(this WebApplication app)
    {
        var signIn = SignIn(app.Configuration);
        app.MapGet("/" + ConsoleSignIn.ConfigPath, (HttpContext context) =>
            {
                // Read at every start of the console: a changed setting takes effect at the next visit.
                context.Response.Headers.CacheControl = "no-cache";
                return TypedResults.Json(new { signIn }, ConsoleApi.Json);
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
    }
}
