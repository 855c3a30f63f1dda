using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessMobility.LocalHost.Tests.Isolation;

/// <summary>
/// Garbage against every protected route, as a caller with an allowed role: broken JSON, JSON of the
/// wrong shape, values of the wrong type, numbers no decimal holds, named floating-point literals ("NaN",
/// "Infinity"), a 30,000-point polygon under the body limit, the wrong content type, and query strings
/// nobody could parse. (What devices send is swept by the telemetry tests' DeviceInputSweepTests.) The rows come from the real endpoint metadata, so a new route is covered
/// as soon as it exists. The promise: a clear 4xx with problem details, never a 5xx.
/// </summary>
public sealed partial class MalformedInputTests(IsolationWorld world) : IClassFixture<IsolationWorld>
{
    private static readonly (string Name, string Body, string ContentType)[] Bodies =
    [
        ("broken JSON", "{\"customerId\": ", "application/json"),
        ("an array", "[1, 2, 3]", "application/json"),
        ("a string", "\"text\"", "application/json"),
        ("null", "null", "application/json"),
        ("an empty object", "{}", "application/json"),
        ("wrong types", """
            {"customerId": 12, "orderId": [], "vin": {}, "amount": "lots", "currency": 978, "price": true, "duration": "Forever",
             "country": 34, "from": "yesterday", "firstDueDate": "soon", "lat": "north", "radiusMeters": "wide", "numberOfInstalments": 1.5,
             "customer": "someone", "prices": {"country": "ES"}, "allowedDurations": "OneMonth", "roles": "admin", "status": "Bogus"}
            """, "application/json"),
        ("numbers beyond decimal", """{"amount": 1e400, "vehiclePrice": -1e400, "deposit": 79228162514264337593543950336, "netMonthlyPrice": 1e-400}""", "application/json"),
        ("the wrong content type", "{}", "text/plain"),
        ("named floating-point literals", """
            {"name": "n", "lat": "NaN", "lon": "Infinity", "radiusMeters": "-Infinity", "center": {"lat": "NaN", "lon": "Infinity"},
             "amount": "NaN", "vehiclePrice": "Infinity", "deposit": "-Infinity", "price": "NaN", "netMonthlyPrice": "Infinity"}
            """, "application/json"),
        ("a polygon of 30,000 points (under the body limit)", HugePolygon(), "application/json"),
    ];

    /// <summary>A zone far beyond the vertex limit that still fits the 1 MiB body limit, so the route, not Kestrel, must refuse it.</summary>
    private static string HugePolygon() =>
        "{\"name\":\"n\",\"kind\":\"Forbidden\",\"polygon\":["
        + string.Join(',', Enumerable.Range(0, 30_000).Select(i => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{{\"lat\":{48 + (i % 1000 / 10000.0)},\"lon\":{11 + (i / 1000 / 1000.0)}}}")))
        + "]}";

    private const string GarbageQuery =
        "?from=notadate&to=2020-13-45T99:99&take=-5&after=abc&status=Bogus&runtimeStatus=Bogus&top=many&createdTimeFrom=zz&continuationToken=%40%40&minPrice=cheap&maxPrice=-1e400&type=Spaceship";

    /// <summary>Roles that own tenant A's seeded objects come first, so a request reaches the input checks instead of a 404.</summary>
    private static readonly string[] PreferredRoles = ["dealer-admin", "dealer-staff", "agent", "operator", "admin", "customer"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The customer who owns what the route names: the vehicle's owner, or the rent-to-own customer.</summary>
    private static string CustomerFor(string pattern) =>
        pattern.StartsWith("/api/vehicles/", StringComparison.Ordinal) ? IsolationWorld.VehicleOwner : IsolationWorld.RtoCustomer;

    /// <summary>
    /// Every protected route except a DELETE of one named object: it takes no input but its route, and
    /// running it would delete the seeded object. A DELETE by filter (the durable purge) stays in.
    /// </summary>
    public static TheoryData<string> Routes() =>
        [.. IsolationCases.All.Keys.Where(route => !(route.StartsWith("DELETE ", StringComparison.Ordinal) && route.Contains('{', StringComparison.Ordinal))).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_Garbage_AnswersAClientErrorWithProblemDetails_NeverAServerError(string route)
    {
        var security = RouteSecurity.From(world.Services.GetRequiredService<EndpointDataSource>())
            .Single(r => $"{r.Method} {r.Pattern}" == route);
        var role = PreferredRoles.FirstOrDefault(security.Roles.Contains) ?? "dealer-staff";
        var path = Fill(security.Pattern);
        var subject = role == "customer" ? CustomerFor(security.Pattern) : null;
        var failures = new List<string>();

        if (security.Method is "POST" or "PUT" or "PATCH")
        {
            foreach (var (name, body, contentType) in Bodies)
            {
                using var request = await world.RequestAsync(new HttpMethod(security.Method), path, role, Side.Own, subject: subject);
                request.Content = new StringContent(body, Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
                await CheckAsync(request, name, failures);
            }
        }
        else
        {
            using var request = await world.RequestAsync(new HttpMethod(security.Method), path + GarbageQuery, role, Side.Own, subject: subject);
            await CheckAsync(request, "a garbage query", failures);
        }

        Assert.True(failures.Count == 0, $"{route} as {role}:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    private async Task CheckAsync(HttpRequestMessage request, string variant, List<string> failures)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await world.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var status = (int)response.StatusCode;
        var contentType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
        if (contentType == "text/event-stream")
        {
            return; // a live stream that accepted the request: its headers are the answer
        }

        var text = await response.Content.ReadAsStringAsync(timeout.Token);
        if (status >= 500)
        {
            failures.Add($"  {variant}: {status} {text}");
        }
        else if (status >= 400 && contentType != "application/problem+json")
        {
            failures.Add($"  {variant}: {status} without problem details ({contentType}) {text}");
        }
    }

    /// <summary>Route values that name tenant A's seeded objects, so requests get past the lookups to the input checks.</summary>
    private string Fill(string pattern)
    {
        string Value(string name) => name switch
        {
            "vin" => IsolationWorld.Vin,
            "modelId" => "iso-model",
            "code" => IsolationWorld.SeededFeature,
            "geofenceId" => IsolationWorld.Geofence,
            "instanceId" or "instanceId?" => "iso-no-such-instance",
            "eventName" => "Garbage",
            "simulator" => "card-payments",
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
}
