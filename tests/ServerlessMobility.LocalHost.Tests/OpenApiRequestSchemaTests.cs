using System.Net.Http.Json;
using System.Text.Json;
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
        await using var factory = new LocalHostFactory(emulators);
        using var client = factory.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/api/openapi.json", Ct);

        var vehicle = Required(document, RequestSchema(document, "/api/vehicles", "post"));
        var onboarding = Required(document, RequestSchema(document, "/api/customers", "post"));
        Assert.Contains("vin", vehicle);
        Assert.DoesNotContain("ownerSubject", vehicle);
        Assert.DoesNotContain("model", vehicle);
        Assert.Contains("phone", onboarding);
        Assert.DoesNotContain("customerId", onboarding);
        var upload = document.GetProperty("paths").GetProperty("/api/customers/{id}/kyc/document").GetProperty("post");
        var media = upload.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["application/pdf", "image/jpeg", "image/png"], media.Order(StringComparer.Ordinal));
    }

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
