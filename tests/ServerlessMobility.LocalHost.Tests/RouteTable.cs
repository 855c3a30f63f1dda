using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using ServerlessMobility.Platform.Security;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>One row of the security route table, read from the real endpoint metadata.</summary>
internal sealed record RouteSecurity(string Method, string Pattern, bool Anonymous, IReadOnlyList<string> Roles)
{
    public string Access => Anonymous ? "anonymous" : Roles.Count == 0 ? "any authenticated caller" : string.Join(", ", Roles);

    public string MarkdownRow => $"| {Method} | `{Pattern}` | {Access} |";

    /// <summary>A role the route refuses, to prove a 403; null when every role is allowed.</summary>
    public string? ForbiddenRole => Anonymous ? null : PlatformRoles.All.FirstOrDefault(r => Roles.Count > 0 && !Roles.Contains(r));

    public static IReadOnlyList<RouteSecurity> From(EndpointDataSource endpoints) =>
        endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(method =>
            {
                var anonymous = e.Metadata.GetMetadata<IAllowAnonymous>() is not null;
                var roles = e.Metadata.GetOrderedMetadata<IAuthorizeData>()
                    .SelectMany(a => (a.Roles ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    .Distinct(StringComparer.Ordinal)
                    .Order(StringComparer.Ordinal)
                    .ToArray();
                return new RouteSecurity(method, e.RoutePattern.RawText!, anonymous, roles);
            }))
            .DistinctBy(r => (r.Method, r.Pattern))
            .OrderBy(r => r.Pattern, StringComparer.Ordinal)
            .ThenBy(r => r.Method, StringComparer.Ordinal)
            .ToArray();

    public static string Markdown(IEnumerable<RouteSecurity> routes)
    {
        var builder = new StringBuilder();
        builder.Append("| method | route | allowed |\n|---|---|---|\n");
        foreach (var route in routes)
        {
            builder.Append(route.MarkdownRow).Append('\n');
        }

        return builder.ToString();
    }
}
