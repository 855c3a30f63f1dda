using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests.Isolation;

/// <summary>
/// Issue 16 item 14: the OpenAPI document must be true. Every route is driven as the HTTP tests drive it (tenant A's
/// own object, tenant B's, no token, a refused role, garbage bodies and queries), every response the host gives is
/// recorded in front of the whole pipeline, and each is checked against the document: the operation exists, the
/// status is listed for it, and a JSON body is valid against the schema documented for that status and media type.
/// </summary>
public sealed partial class OpenApiConformanceTests(IsolationWorld world) : IClassFixture<IsolationWorld>
{
    private static readonly (string Name, string Body, string ContentType)[] Garbage =
    [
        ("broken JSON", "{\"customerId\": ", "application/json"),
        ("an array", "[1, 2, 3]", "application/json"),
        ("an empty object", "{}", "application/json"),
        ("wrong types", """{"customerId": 12, "orderId": [], "vin": {}, "amount": "lots", "country": 34, "lat": "north", "roles": "admin"}""", "application/json"),
        ("the wrong content type", "{}", "text/plain"),
    ];

    private static readonly string[] PreferredRoles = ["dealer-admin", "dealer-staff", "agent", "operator", "admin", "customer"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryResponseOfTheHttpSuite_IsDescribedByTheOpenApiDocument()
    {
        using var documentResponse = await world.Client.GetAsync(new Uri("/api/openapi.json", UriKind.Relative), Ct);
        var document = JsonNode.Parse(await documentResponse.Content.ReadAsStringAsync(Ct))!.AsObject();
        var conformance = new OpenApiConformance(document);

        var routes = RouteSecurity.From(world.Services.GetRequiredService<EndpointDataSource>()).Where(r => r.Method != "*" && r.Pattern.StartsWith("/api/", StringComparison.Ordinal) || r.Pattern.StartsWith("/runtime/", StringComparison.Ordinal)).ToList();
        foreach (var route in routes.Where(r => r.Method != "*"))
        {
            await DriveAsync(route);
        }

        // The route pattern each response was served by names its operation exactly (no matching of paths against the
        // templates), and every status must be listed: the document is held to more here than a client would hold it.
        var failures = new SortedSet<string>(StringComparer.Ordinal);
        var checkedResponses = 0;
        foreach (var response in world.Responses.Responses.ToArray())
        {
            if (response.RoutePattern is null || response.Path.StartsWith("/api/docs", StringComparison.Ordinal) || response.Path == OpenApiConformance.DocumentRoute)
            {
                continue;
            }

            checkedResponses++;
            var template = OptionalOrConstrained().Replace(response.RoutePattern, "{${name}}");
            var mediaType = response.ContentType?.Split(';')[0].Trim();
            foreach (var failure in conformance.CheckOperation(response.Method, template, response.Status, mediaType, response.Body, fallBackToDefault: false))
            {
                failures.Add(failure);
            }
        }

        Assert.True(checkedResponses > 200, $"only {checkedResponses} responses were recorded");
        Assert.True(failures.Count == 0, $"{failures.Count} responses the document does not describe:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    private async Task DriveAsync(RouteSecurity route)
    {
        var key = $"{route.Method} {route.Pattern}";
        if (IsolationCases.All.TryGetValue(key, out var @case) && !(route.Method == "DELETE" && route.Pattern.Contains('{', StringComparison.Ordinal)))
        {
            foreach (var side in new[] { Side.Own, Side.OtherTenant })
            {
                using var request = await @case.Request(world, side);
                await SendAsync(request);
            }
        }

        var path = Fill(route.Pattern);
        using (var anonymous = new HttpRequestMessage(new HttpMethod(route.Method), path))
        {
            await SendAsync(anonymous);
        }

        if (route.Anonymous)
        {
            return;
        }

        if (route.ForbiddenRole is { } forbidden)
        {
            using var refused = await world.RequestAsync(new HttpMethod(route.Method), path, forbidden, Side.Own);
            await SendAsync(refused);
        }

        var role = PreferredRoles.FirstOrDefault(route.Roles.Contains) ?? "dealer-staff";
        if (route.Method is "POST" or "PUT" or "PATCH")
        {
            foreach (var (_, body, contentType) in Garbage)
            {
                using var request = await world.RequestAsync(new HttpMethod(route.Method), path, role, Side.Own);
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
                await SendAsync(request);
            }
        }
        else if (route.Method == "GET")
        {
            using var request = await world.RequestAsync(HttpMethod.Get, path + "?from=notadate&take=-5&after=abc&status=Bogus&top=many&page=0", role, Side.Own);
            await SendAsync(request);
        }
    }

    private async Task SendAsync(HttpRequestMessage request)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await world.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            await response.Content.ReadAsStringAsync(timeout.Token);
        }
    }

    private string Fill(string pattern)
    {
        string Value(string name) => name switch
        {
            "vin" => IsolationWorld.Vin,
            "modelId" => "iso-model",
            "code" => IsolationWorld.SeededFeature,
            "geofenceId" => IsolationWorld.Geofence,
            "instanceId" or "instanceId?" => IsolationWorld.OrderInstanceId,
            "eventName" => "Garbage",
            "name" => "NoSuchOrchestrator",
            "id" when pattern.StartsWith("/api/orders/", StringComparison.Ordinal) => IsolationWorld.OrderId,
            "id" when pattern.StartsWith("/api/plans/", StringComparison.Ordinal) => world.PlanId,
            "id" when pattern.StartsWith("/api/listings/", StringComparison.Ordinal) => world.ListingId,
            "id" when pattern.StartsWith("/api/service-contract-products/", StringComparison.Ordinal) => world.ContractProductId,
            "id" when pattern.StartsWith("/api/service-contract-quotes/", StringComparison.Ordinal) => world.ContractQuoteId,
            "id" when pattern.StartsWith("/api/service-contracts/", StringComparison.Ordinal) => world.ServiceContractId,
            "id" when pattern.EndsWith("/purchase-record", StringComparison.Ordinal) => world.CarCustomer,
            "id" => IsolationWorld.RtoCustomer,
            _ => "iso-" + name,
        };

        return RouteParameter().Replace(pattern, match => Uri.EscapeDataString(Value(match.Groups[1].Value)));
    }

    [GeneratedRegex(@"\{([^}:]+)(?::[^}]*)?\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"\{(?<name>[^}:?]+)(?::[^}]*)?\??\}")]
    private static partial Regex OptionalOrConstrained();
}
