using System.Reflection;
using Microsoft.AspNetCore.Components;

namespace ServerlessMobility.LocalHost;

/// <summary>The addresses the web console routes to itself: the <c>@page</c> directives of its components.</summary>
internal static class WebConsolePages
{
    public static IReadOnlyList<string> Routes { get; } =
        [.. typeof(ServerlessMobility.WebConsole.Api.ConsoleApi).Assembly.GetTypes()
            .SelectMany(type => type.GetCustomAttributes<RouteAttribute>())
            .Select(route => route.Template)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
}
