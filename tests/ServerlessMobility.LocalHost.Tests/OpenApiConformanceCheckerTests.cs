using System.Text.Json.Nodes;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// The shared checker the end-to-end clients use (issue 16 item 14) reports what the document does not describe, and
/// says which operation, status and JSON path.
/// </summary>
public class OpenApiConformanceCheckerTests
{
    private static readonly JsonObject Document = JsonNode.Parse("""
        {
          "paths": {
            "/api/orders/{id}": { "get": { "responses": { "200": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Order" } } } } } } },
            "/api/orders/search": { "get": { "responses": { "204": { } } } }
          },
          "components": { "schemas": { "Order": { "type": "object", "required": ["id"], "properties": { "id": { "type": "string" }, "total": { "type": "number", "minimum": 0 } } } } }
        }
        """)!.AsObject();

    [Fact]
    public void Check_DescribedResponse_NoViolation()
    {
        var checker = new OpenApiConformance(Document);

        Assert.Empty(checker.Check("GET", "/api/orders/o-1", 200, "application/json", """{"id":"o-1","total":3}"""));
        Assert.Equal("/api/orders/search", checker.TemplateOf("GET", "/api/orders/search"));
    }

    [Fact]
    public void Check_UnlistedStatus_NamesOperationAndStatus()
    {
        var checker = new OpenApiConformance(Document);

        var violation = Assert.Single(checker.Check("GET", "/api/orders/o-1", 418, "application/problem+json", """{"title":"x"}"""));

        Assert.Contains("GET /api/orders/{id}", violation, StringComparison.Ordinal);
        Assert.Contains("418", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_BodyAgainstSchema_NamesTheJsonPath()
    {
        var checker = new OpenApiConformance(Document);

        var violation = Assert.Single(checker.Record("GET", "/api/orders/o-1", 200, "application/json", """{"id":"o-1","total":-1}"""));

        Assert.Contains("/total", violation, StringComparison.Ordinal);
        Assert.Single(checker.Violations);
    }

    [Fact]
    public void Check_UnknownOperation_IsAViolation()
    {
        var checker = new OpenApiConformance(Document);

        Assert.Single(checker.Check("DELETE", "/api/orders/o-1", 204, null, null));
        Assert.Empty(checker.Check("GET", "/api/openapi.json", 200, "application/json", "{}"));
    }
}
