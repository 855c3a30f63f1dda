using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Telemetry.Tests;

/// <summary>
/// Issue 16 item 7: geofence input that used to answer 500 (named floating-point literals, a polygon too
/// large for its table entity) is a 400 with problem details through the real HTTP pipeline on Azurite;
/// the documented limits themselves are accepted and stored.
/// </summary>
public class GeofenceInputTests(PlatformEmulators emulators)
{
    private const string Vin = "WGEXX000000000001";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly (string Name, string Body)[] BadBodies =
    [
        ("radius NaN", """{"name":"Zone","kind":"Allowed","center":{"lat":48.1,"lon":11.5},"radiusMeters":"NaN"}"""),
        ("radius Infinity", """{"name":"Zone","kind":"Allowed","center":{"lat":48.1,"lon":11.5},"radiusMeters":"Infinity"}"""),
        ("radius -Infinity", """{"name":"Zone","kind":"Allowed","center":{"lat":48.1,"lon":11.5},"radiusMeters":"-Infinity"}"""),
        ("center lat NaN", """{"name":"Zone","kind":"Allowed","center":{"lat":"NaN","lon":11.5},"radiusMeters":500}"""),
        ("center lon Infinity", """{"name":"Zone","kind":"Allowed","center":{"lat":48.1,"lon":"Infinity"},"radiusMeters":500}"""),
        ("polygon lat -Infinity", """{"name":"Zone","kind":"Forbidden","polygon":[{"lat":"-Infinity","lon":11.5},{"lat":48.2,"lon":11.6},{"lat":48.3,"lon":11.5}]}"""),
        ("polygon lon NaN", """{"name":"Zone","kind":"Forbidden","polygon":[{"lat":48.1,"lon":"NaN"},{"lat":48.2,"lon":11.6},{"lat":48.3,"lon":11.5}]}"""),
        ("radius zero", """{"name":"Zone","kind":"Allowed","center":{"lat":48.1,"lon":11.5},"radiusMeters":0}"""),
        ("radius too large", """{"name":"Zone","kind":"Allowed","center":{"lat":48.1,"lon":11.5},"radiusMeters":1000001}"""),
        ("name too long", "{\"name\":\"" + new string('n', 201) + "\",\"kind\":\"Allowed\",\"center\":{\"lat\":48.1,\"lon\":11.5},\"radiusMeters\":500}"),
        ("contract id with slash", """{"name":"Zone","kind":"Allowed","center":{"lat":48.1,"lon":11.5},"radiusMeters":500,"contractId":"a/b"}"""),
        ("30,000-point polygon (under the 1 MiB body limit)", Polygon(30_000, compact: true)),
        ("501-point polygon", Polygon(501)),
    ];

    [Fact]
    public async Task PutGeofence_BadInput_400ProblemDetails()
    {
        await using var factory = NewFactory();
        using var client = factory.CreateClient();
        var token = await SetUpAsync(client);
        var failures = new List<string>();

        foreach (var (name, body) in BadBodies)
        {
            using var response = await PutAsync(client, token, "zone", body);
            var text = await response.Content.ReadAsStringAsync(Ct);
            if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"  {name}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {text[..Math.Min(300, text.Length)]}");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task PutGeofence_AtTheDocumentedLimits_StoredAndListed()
    {
        await using var factory = NewFactory();
        using var client = factory.CreateClient();
        var token = await SetUpAsync(client);

        // 500 vertices with full double precision and a name and contract id at their maximum lengths.
        using var polygon = await PutAsync(client, token, "max-polygon", Polygon(500, name: new string('n', 200), contractId: new string('c', 64)));
        using var circle = await PutAsync(client, token, "max-circle", """{"name":"Wide","kind":"Allowed","center":{"lat":-90,"lon":180},"radiusMeters":1000000}""");
        using var listRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/vehicles/{Vin}/geofences");
        listRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var list = await client.SendAsync(listRequest, Ct);

        Assert.True(polygon.StatusCode == HttpStatusCode.OK, await polygon.Content.ReadAsStringAsync(Ct));
        Assert.True(circle.StatusCode == HttpStatusCode.OK, await circle.Content.ReadAsStringAsync(Ct));
        var zones = await list.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(2, zones.GetArrayLength());
        Assert.Equal(500, zones.EnumerateArray().Single(z => z.GetProperty("id").GetString() == "max-polygon").GetProperty("polygon").GetArrayLength());
    }

    private static string Polygon(int vertices, string name = "Zone", string? contractId = null, bool compact = false)
    {
        var builder = new StringBuilder();
        builder.Append(CultureInfo.InvariantCulture, $"{{\"name\":\"{name}\",\"kind\":\"Forbidden\",");
        if (contractId is not null)
        {
            builder.Append(CultureInfo.InvariantCulture, $"\"contractId\":\"{contractId}\",");
        }

        builder.Append("\"polygon\":[");
        for (var i = 0; i < vertices; i++)
        {
            var angle = 2 * Math.PI * i / vertices;
            var lat = compact ? Math.Round(48.1 + (0.01 * Math.Sin(angle)), 4) : -89.123456789012345 + (0.5 * (1 + Math.Sin(angle)) * 0.000123456789);
            var lon = compact ? Math.Round(11.5 + (0.01 * Math.Cos(angle)), 4) : -179.12345678901234 + (0.5 * (1 + Math.Cos(angle)) * 0.000123456789);
            builder.Append(CultureInfo.InvariantCulture, $"{(i > 0 ? "," : string.Empty)}{{\"lat\":{lat:R},\"lon\":{lon:R}}}");
        }

        var json = builder.Append("]}").ToString();
        Assert.True(!compact || Encoding.UTF8.GetByteCount(json) < 1024 * 1024, "The compact polygon must stay under the body limit.");
        return json;
    }

    private LocalHostFactory NewFactory()
    {
        var factory = new LocalHostFactory(emulators);
        factory.Settings["Storage:ResourcePrefix"] = "t" + Guid.NewGuid().ToString("N")[..10];
        return factory;
    }

    private static async Task<string> SetUpAsync(HttpClient client)
    {
        var token = await DevTokens.IssueAsync(client, "staff-1", "tenant-geo", "dealer-admin");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/vehicles") { Content = JsonContent.Create(new { vin = Vin }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var registered = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        return token;
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, string token, string id, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/vehicles/{Vin}/geofences/{id}") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request, Ct);
    }
}
