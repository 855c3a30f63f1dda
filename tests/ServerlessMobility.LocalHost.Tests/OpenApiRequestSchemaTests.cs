using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// Request bodies in the OpenAPI document say what the endpoints really require: fields the handlers treat as
/// optional are not listed as required, and the KYC upload declares its raw body (docs/flows/rent-to-own.md).
/// </summary>
public class OpenApiRequestSchemaTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OptionalRequestFields_AreNotRequired_KycUploadDeclaresItsBody()
    {
        await using var factory = LocalHostFactory.WithoutDurableWorker(emulators);
        using var client = factory.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/api/openapi.json", Ct);

        var vehicle = Required(document, RequestSchema(document, "/api/vehicles", "post"));
        var onboarding = Required(document, RequestSchema(document, "/api/customers", "post"));
        Assert.Contains("vin", vehicle);
        Assert.DoesNotContain("ownerSubject", vehicle);
        Assert.DoesNotContain("model", vehicle);
        Assert.Contains("phone", onboarding);
        Assert.DoesNotContain("customerId", onboarding);
        // Optional by the handlers and the docs: either search field, a rejection's reason, the purchase country of a
        // Car-as-a-Service customer, the other shape of a geofence, a script outcome's details.
        Assert.Empty(Required(document, RequestSchema(document, "/api/customers/search", "post")));
        Assert.DoesNotContain("reason", Required(document, RequestSchema(document, "/api/customers/{id}/kyc/review", "post")));
        Assert.DoesNotContain("country", Required(document, RequestSchema(document, "/api/vehicles/{vin}/features/{code}/purchase", "post")));
        var geofence = Required(document, RequestSchema(document, "/api/vehicles/{vin}/geofences/{geofenceId}", "put"));
        Assert.Empty(geofence.Intersect(["center", "radiusMeters", "polygon", "contractId"]));
        var outcome = document.GetProperty("components").GetProperty("schemas").GetProperty("ScriptedOutcomeRequest");
        Assert.Equal(["outcome"], outcome.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(e => e.GetString()!).ToList() : []);
        var upload = document.GetProperty("paths").GetProperty("/api/customers/{id}/kyc/document").GetProperty("post");
        var media = upload.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["application/pdf", "image/jpeg", "image/png"], media.Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Issue 16 item 14: the document declares the VIN pattern the validators use (one constant), on the registration
    /// body and on every {vin} route parameter, and the pattern decides: a VIN matching it is registered, one just
    /// outside it (an O, or 16 characters) is a 400 naming vin.
    /// </summary>
    [Fact]
    public async Task VinPattern_IsTheValidatorsPattern_AndDecidesRegistration()
    {
        await using var factory = LocalHostFactory.WithoutDurableWorker(emulators);
        using var client = factory.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/api/openapi.json", Ct);

        var body = Resolve(document, RequestSchema(document, "/api/vehicles", "post"));
        var pattern = body.GetProperty("properties").GetProperty("vin").GetProperty("pattern").GetString()!;
        Assert.Equal(VinFormat.Pattern, pattern);
        var vinParameters = document.GetProperty("paths").EnumerateObject()
            .Where(p => p.Name.Contains("{vin}", StringComparison.Ordinal))
            .SelectMany(p => p.Value.EnumerateObject())
            .Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("parameters", out _))
            .SelectMany(o => o.Value.GetProperty("parameters").EnumerateArray())
            .Where(p => p.GetProperty("name").GetString() == "vin")
            .ToList();
        Assert.NotEmpty(vinParameters);
        Assert.All(vinParameters, p => Assert.Equal(VinFormat.Pattern, p.GetProperty("schema").GetProperty("pattern").GetString()));

        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await TokenAsync(client, "dealer-staff"));
        const string inside = "WSMV0PENAP1000017";
        Assert.Matches(pattern, inside);
        using (var accepted = await client.PostAsJsonAsync("/api/vehicles", new { vin = inside }, Ct))
        {
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        }

        foreach (var outside in new[] { "WSMV0PENAP100001O", "WSMV0PENAP100001" })
        {
            Assert.DoesNotMatch(pattern, outside);
            using var refused = await client.PostAsJsonAsync("/api/vehicles", new { vin = outside }, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.True(problem.GetProperty("errors").TryGetProperty("vin", out _), outside);
        }
    }

    private static Task<string> TokenAsync(HttpClient client, string role) => DevTokens.IssueAsync(client, "openapi-" + role, "openapi-tenant", role);

    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;

    private static JsonElement RequestSchema(JsonElement document, string path, string method) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");

    private static List<string> Required(JsonElement document, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        return schema.TryGetProperty("required", out var required) ? [.. required.EnumerateArray().Select(r => r.GetString()!)] : [];
    }
}
