using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Testing;

namespace ServerlessMobility.LocalHost.Tests;

/// <summary>
/// Issue 16 item 14: the constraints the OpenAPI document declares on request bodies are the ones the handlers apply.
/// For every operation with a JSON body, each constrained field of a known-good body is replaced by values made from
/// the document's own schema (boundaries of lengths, ranges and item counts, pattern and enum violations); the schema
/// decides whether each body is valid, and the host must agree: a schema-valid value is never refused with a 400 naming
/// that field, a schema-invalid one is a 400 problem naming it. Deterministic: the values follow from the schema only.
/// </summary>
public sealed partial class OpenApiConstraintPropertyTests(PlatformEmulators emulators)
{
    private const string Vin = "WSMV0PENAP1000017";
    private const string Tenant = "prop-tenant";

    private static readonly string[] PreferredRoles = ["dealer-admin", "dealer-staff", "agent", "operator", "admin", "customer"];

    /// <summary>
    /// A body the handler accepts (the test proves it) per operation; the generator varies one constrained field at a
    /// time from it. Cross-field rules (a circle or a polygon, a deposit below the price) are not in the schema, so a
    /// body per shape is given.
    /// </summary>
    private static readonly Dictionary<string, string[]> Baselines = new(StringComparer.Ordinal)
    {
        ["POST /api/dev/token"] = ["""{"subject":"prop-subject","tenantId":"prop-tenant","roles":["customer"]}"""],
        ["POST /api/vehicles"] = ["""{"vin":"WSMV0PENAP1000017"}"""],
        ["POST /api/orders"] = ["""{"orderId":"prop-order-1","customer":{"name":"Ada Lovelace","email":"ada@example.test"},"modelId":"prop-model","country":"DE"}"""],
        ["PUT /api/models/{modelId}/features/{code}"] = ["""{"name":"Heated seats","minimumFirmware":"2.4","prices":[{"country":"DE","netMonthlyPrice":10.00,"vatRate":0.19,"currency":"EUR"}],"allowedDurations":["OneMonth"],"requiresMaintenanceUpToDate":false,"configuration":{"seat.heating":"on"}}"""],
        ["POST /api/vehicles/{vin}/features/{code}/purchase"] = ["""{"duration":"OneMonth","country":"DE"}"""],
        ["POST /api/customers/{customerId}/feature-invoices/{invoiceId}/settlement"] = ["""{"reference":"TR-2024-001"}"""],
        ["POST /api/customers"] = ["""{"phone":"+254712345678","documentType":"passport","documentNumber":"A1234567","customerId":"prop-customer"}"""],
        ["POST /api/customers/search"] = ["""{"phone":"+254712345678","documentNumber":"A1234567"}"""],
        ["POST /api/customers/{id}/kyc/review"] = ["""{"approve":false,"reason":"The photo is blurred."}"""],
        ["POST /api/listings"] = ["""{"type":"Car","make":"Toyota","model":"Vitz","year":2015,"currency":"KES","price":500000,"weeklyInstalment":5000,"location":"Nairobi"}"""],
        ["POST /api/plans"] = ["""{"customerId":"prop-customer","vehicleId":"WSMV0PENAP1000017","currency":"KES","vehiclePrice":100000,"deposit":10000,"financeChargeRate":0.2,"frequency":"Weekly","numberOfInstalments":52,"firstDueDate":"2100-01-01T00:00:00Z"}"""],
        ["POST /api/credit/assessments"] = ["""{"currency":"KES","monthlyIncome":30000,"vehiclePrice":100000,"deposit":10000,"financeChargeRate":0.2,"frequency":"Weekly","numberOfInstalments":52,"monthsInCurrentOccupation":24}"""],
        ["POST /api/plans/{id}/payments"] = ["""{"providerReference":"MP-001","amount":100}"""],
        ["POST /api/plans/{id}/immobilization"] = ["""{"reason":"Arrears unpaid, customer unreachable."}"""],
        ["POST /api/service-contract-products"] = ["""{"name":"Drivetrain Plus","terms":{"coverage":[{"code":"engine","name":"Engine"}],"termMonths":24,"termKilometres":40000,"eligibility":{"models":[]},"prices":[{"jurisdiction":"DE","currency":"EUR","netPrice":500,"deductible":50,"limitPerClaim":1000,"totalLimit":2000,"ageBands":[],"mileageBands":[],"modelSurcharges":[]}]}}"""],
        ["POST /api/service-contract-products/{id}/versions"] = ["""{"terms":{"coverage":[{"code":"engine","name":"Engine"}],"termMonths":24,"termKilometres":40000,"eligibility":{"models":[]},"prices":[{"jurisdiction":"DE","currency":"EUR","netPrice":500,"deductible":50,"limitPerClaim":1000,"totalLimit":2000,"ageBands":[],"mileageBands":[],"modelSurcharges":[]}]}}"""],
        ["POST /api/service-contract-quotes"] = ["""{"productId":"prop-product","customerId":"prop-customer","jurisdiction":"DE","vin":"WSMV0PENAP1000017","model":"Hatchback","firstRegistered":"2020-01-15","odometerKm":30000}"""],
        ["POST /api/service-contract-quotes/{id}/acceptance"] = ["""{"name":"Ada Lovelace","documentHash":"abababababababababababababababababababababababababababababababab"}"""],
        ["POST /api/service-contracts/{id}/claims"] = ["""{"coverageItem":"engine","amount":800,"odometerKm":31000,"description":"Gearbox bearing","workshopJobId":"job-1"}"""],
        ["POST /api/service-contracts/{id}/renewal"] = ["""{"odometerKm":52000}"""],
        ["POST /api/service-contracts/{id}/cancellation"] = ["""{"reason":"Vehicle sold."}"""],
        ["PUT /api/dev/simulators/{simulator}/scripts/{subject}"] = ["""{"outcomes":[{"outcome":"decline","code":"insufficient_funds","times":2}]}"""],
        ["POST /api/showroom/financing-quotes"] = ["""{"vehiclePrice":30000,"currency":"EUR","country":"DE","offers":[{"deposit":3000,"balloon":5000,"termMonths":36,"annualRate":0.049,"fees":200}]}"""],
        ["POST /api/showroom/inventory"] = ["""{"vin":"WSMSR000000000001","make":"BMW","model":"320i","year":2024,"trim":"M Sport","fuel":"Petrol","colour":"Blue","mileageKm":10,"price":42500,"currency":"EUR","location":{"lat":48.1,"lon":11.5},"description":"One owner.","status":"Available"}"""],
        ["PUT /api/showroom/inventory/{vin}"] = ["""{"make":"BMW","model":"320i","year":2024,"trim":"M Sport","fuel":"Petrol","colour":"Blue","mileageKm":10,"price":41900,"currency":"EUR","location":{"lat":48.1,"lon":11.5},"description":"One owner."}"""],
        ["POST /api/showroom/inventory/{vin}/status"] = ["""{"status":"Reserved","leadId":"lead-1"}"""],
        ["POST /api/showroom/inventory/{vin}/photos"] = ["""{"fileName":"front.jpg","contentType":"image/jpeg"}"""],
        ["POST /api/showroom/saved-searches"] = ["""{"name":"Cheap EVs","criteria":{"q":"long range","make":"Tesla","model":"Model 3","fuel":"Electric","colour":"White","year":2024,"minPrice":20000,"maxPrice":50000,"lat":48.1,"lon":11.5,"sort":"distance","status":"Available"}}"""],
        ["POST /api/showroom/leads"] = ["""{"source":"WalkIn","name":"Ada Buyer","email":"ada@example.test","phone":"+4915112345678","message":"Likes the Golf","vehicleOfInterest":"veh-1","budget":28000,"listedPrice":30000,"currency":"EUR","financePreApproved":true}"""],
        ["POST /api/showroom/leads/enquiries"] = ["""{"name":"Ada Buyer","email":"ada@example.test","phone":"+4915112345678","message":"Is it still there?","vehicleOfInterest":"veh-1","budget":28000,"listedPrice":30000,"currency":"EUR"}"""],
        ["POST /api/showroom/leads/{id}/activities"] = ["""{"kind":"Call","note":"Wants a test drive","id":"call-1"}"""],
        ["POST /api/showroom/leads/{id}/stage"] = ["""{"stage":"Contacted","reason":"Called back"}"""],
        ["POST /api/showroom/leads/{id}/assignment"] = ["""{"salespersonId":"sam"}"""],
        ["POST /api/showroom/leads/{id}/convert"] = ["""{"vehicleId":"veh-1","price":29500,"currency":"EUR"}"""],
        ["POST /api/showroom/leads/{id}/hand-off"] = ["""{"productLine":"RentToOwn","vin":"WSMV0PENAP1000017","deposit":0,"weeks":104,"location":"Nairobi"}"""],
        ["POST /api/showroom/lead-model/retrain"] = ["""{"rows":500,"seed":22}"""],
        ["PUT /api/showroom/salespeople/{id}"] = ["""{"name":"Sam Seller","active":true}"""],
        ["POST /api/showroom/test-drives"] = ["""{"vin":"WSMSR000000000001","salespersonId":"sam","customerName":"Ada Buyer","start":"2099-01-05T10:00:00Z","durationMinutes":30,"leadId":"lead-1"}"""],
        ["POST /api/showroom/test-drives/{id}/licence-check"] = ["""{"number":"B072RRE2345","country":"DE","expiresOn":"2101-03-01","categories":["B","AM"],"dateOfBirth":"1985-04-12"}"""],
        ["POST /api/showroom/test-drives/{id}/waiver"] = ["""{"signedName":"Ada Buyer","textVersion":"2099-01"}"""],
        ["POST /api/showroom/test-drives/{id}/feedback"] = ["""{"rating":4,"interest":"High","comments":"Quiet and quick."}"""],
        ["POST /api/showroom/test-drives/{id}/cancel"] = ["""{"reason":"Customer called off"}"""],
        ["POST /api/showroom/test-drives/{id}/reschedule"] = ["""{"start":"2099-01-05T11:00:00Z","durationMinutes":30,"salespersonId":"tess","vin":"WSMSR000000000002"}"""],
        ["PUT /api/workshop/bays/{id}"] = ["""{"name":"Bay 1","location":"main"}"""],
        ["PUT /api/workshop/technicians/{id}"] = ["""{"name":"Ada","skills":["service"],"shifts":[{"day":"Tuesday","start":"08:00:00","end":"16:00:00"}]}"""],
        ["POST /api/workshop/bookings"] = ["""{"customerId":"prop-owner","vehicleId":"WSMV0PENAP1000017","bayId":"prop-bay","skill":"service","start":"2100-01-05T08:00:00Z","hours":1}"""],
        ["POST /api/workshop/bookings/{id}/check-in"] = ["""{"odometerKm":1000,"fuelLevelPercent":50,"photos":["front.jpg"]}"""],
        ["POST /api/workshop/jobs/{id}/status"] = ["""{"status":"Inspecting","reason":"Arrived."}"""],
        ["PUT /api/workshop/jobs/{id}/estimate"] = ["""{"lines":[{"id":"labour","kind":"Labour","description":"Brake service","quantity":1.5,"unitPrice":80},{"id":"pads","kind":"Part","description":"Brake pads","quantity":2,"unitPrice":45.5,"sku":"PAD-1","location":"main"}]}"""],
        ["POST /api/workshop/jobs/{id}/media"] = ["""{"fileName":"worn-pads.jpg","contentType":"image/jpeg","estimateLineId":"pads","caption":"Worn pads"}"""],
        ["POST /api/workshop/jobs/{id}/clock"] = ["""{"technicianId":"tech-1","action":"On"}"""],
        ["POST /api/workshop/jobs/{id}/payments"] = ["""{"reference":"TILL-1","amount":100}"""],
        ["PUT /api/workshop/parts/{location}/{sku}"] = ["""{"description":"Brake pads","unitPrice":45.5,"currency":"EUR","onHand":3,"reorderLevel":1}"""],
        ["PUT /api/vehicles/{vin}/geofences/{geofenceId}"] =
        [
            """{"name":"Depot","kind":"Allowed","polygon":[{"lat":0,"lon":0},{"lat":0,"lon":1},{"lat":1,"lon":1}],"contractId":"contract-1"}""",
            """{"name":"Depot","kind":"Forbidden","center":{"lat":1,"lon":1},"radiusMeters":500}""",
        ],
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConstrainedRequestFields_SchemaDecidesWhatTheHandlersRefuse()
    {
        await using var factory = LocalHostFactory.WithoutDurableWorker(emulators);
        factory.Settings["Mqtt:Enabled"] = "false";
        factory.Settings["RequestProtection:PermitsPerSubject"] = "1000000";
        factory.Settings["RequestProtection:PermitsPerAnonymousIp"] = "1000000";
        using var client = factory.CreateClient();
        var document = await factory.OpenApiAsync(Ct);
        var routes = RouteSecurity.From(factory.Services.GetRequiredService<EndpointDataSource>());
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);

        var failures = new List<string>();
        var checkedValues = 0;
        var operations = JsonBodyOperations(document.Document).ToList();
        Assert.NotEmpty(operations);
        foreach (var (method, path, schemaNode) in operations)
        {
            var key = $"{method} {path}";
            var fields = new List<(string Pointer, JsonNode Schema)>();
            if (!Baselines.TryGetValue(key, out var baselines))
            {
                // Only an operation without constrained fields may go without a baseline.
                Collect(document.Document, schemaNode, [], fields, null);
                Assert.True(fields.Count == 0, $"{key} has constrained request fields ({string.Join(", ", fields.Select(f => f.Pointer))}) but no baseline body in this test");
                continue;
            }

            var schema = document.SchemaOf(schemaNode);
            var role = RoleFor(routes, method, path);
            var token = role is null ? null : tokens.TryGetValue(role, out var known) ? known : tokens[role] = await TokenAsync(client, role);
            foreach (var baselineText in baselines)
            {
                var baseline = JsonNode.Parse(baselineText)!;
                Assert.True(OpenApiConformance.Errors(schema, baseline).Count == 0, $"{key}: the baseline is not schema-valid: {string.Join(" | ", OpenApiConformance.Errors(schema, baseline))}");
                var (baseStatus, baseProblem) = await SendAsync(client, method, path, token, baseline);
                Assert.True(baseStatus != HttpStatusCode.BadRequest, $"{key}: the baseline body is refused: {baseProblem}");

                fields.Clear();
                Collect(document.Document, schemaNode, [], fields, baseline);
                foreach (var (pointer, fieldSchema) in fields)
                {
                    var field = FieldName(pointer);
                    foreach (var candidate in Candidates(fieldSchema, Get(baseline, pointer)))
                    {
                        var body = baseline.DeepClone();
                        Set(body, pointer, candidate?.DeepClone());
                        var valid = OpenApiConformance.Errors(schema, body).Count == 0;
                        var (status, problem) = await SendAsync(client, method, path, token, body);
                        var names = status == HttpStatusCode.BadRequest && NamesField(problem, field);
                        checkedValues++;
                        var shown = candidate is null ? "null" : Truncate(candidate.ToJsonString());
                        if (valid && names)
                        {
                            failures.Add($"{key} {field} = {shown}: schema-valid but refused: {problem}");
                        }
                        else if (!valid && !names)
                        {
                            failures.Add($"{key} {field} = {shown}: schema-invalid but answered {(int)status} {Truncate(problem?.ToJsonString() ?? string.Empty)}");
                        }
                    }
                }
            }
        }

        Assert.True(checkedValues > 150, $"only {checkedValues} values were tried");
        Assert.True(failures.Count == 0, $"{failures.Count} of {checkedValues} values are judged differently by the document and the handlers:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }

    /// <summary>Every operation of the document whose request body is JSON, with that body's schema.</summary>
    private static IEnumerable<(string Method, string Path, JsonNode Schema)> JsonBodyOperations(JsonObject document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (operation?["requestBody"]?["content"]?["application/json"]?["schema"] is { } schema)
                {
                    yield return (method.ToUpperInvariant(), path, schema);
                }
            }
        }
    }

    /// <summary>
    /// The constrained fields of a body as JSON pointers: properties present in <paramref name="baseline"/> (all of them
    /// when it is null) whose schema has a length, range, item-count, pattern or enum; objects and the first item of an
    /// array are followed.
    /// </summary>
    private static void Collect(JsonObject document, JsonNode schema, List<string> pointer, List<(string, JsonNode)> fields, JsonNode? baseline)
    {
        var resolved = Resolve(document, schema);
        if (IsConstrained(resolved) && pointer.Count > 0)
        {
            fields.Add(("/" + string.Join('/', pointer), resolved));
        }

        if (resolved["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                if (baseline is null || baseline is JsonObject present && present.ContainsKey(name) && present[name] is not null)
                {
                    Collect(document, property!, [.. pointer, name], fields, baseline?[name]);
                }
            }
        }

        if (resolved["items"] is { } items && (baseline is null || baseline is JsonArray { Count: > 0 }))
        {
            Collect(document, items, [.. pointer, "0"], fields, baseline?[0]);
        }
    }

    private static readonly string[] ConstraintKeywords = ["pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "enum"];

    private static bool IsConstrained(JsonNode schema) =>
        schema is JsonObject keywords && ConstraintKeywords.Any(k => keywords.ContainsKey(k) && !(k == "minLength" && keywords[k]!.GetValue<int>() == 0));

    /// <summary>A $ref, or a nullable anyOf/oneOf around one, is followed to the schema it names.</summary>
    private static JsonNode Resolve(JsonObject document, JsonNode schema)
    {
        if (schema["$ref"] is JsonValue referenceValue && referenceValue.ToString() is { } reference)
        {
            return Resolve(document, document["components"]!["schemas"]![reference.Split('/')[^1]]!);
        }

        if ((schema["anyOf"] ?? schema["oneOf"]) is JsonArray { Count: 2 } branches && branches.SingleOrDefault(b => b?["type"] is JsonValue type && type.ToString() == "null") is { } nullBranch)
        {
            return Resolve(document, branches.First(b => !ReferenceEquals(b, nullBranch))!);
        }

        return schema;
    }

    /// <summary>
    /// Values for one field, from its schema and its baseline value: the boundaries of every length, range and item
    /// count (each side), and the usual ways to break a pattern or an enum. Whether each is valid is the schema's call.
    /// </summary>
    private static IEnumerable<JsonNode?> Candidates(JsonNode schema, JsonNode? current)
    {
        if (schema["enum"] is JsonArray values)
        {
            foreach (var value in values.Take(3))
            {
                yield return value?.DeepClone();
            }

            yield return JsonValue.Create("Bogus-value");
        }

        if (current is JsonValue text && text.TryGetValue<string>(out var s))
        {
            var lengths = new SortedSet<int>();
            if (schema["maxLength"]?.GetValue<int>() is { } max)
            {
                lengths.UnionWith([max, max + 1]);
            }

            if (schema["minLength"]?.GetValue<int>() is { } min && min > 0)
            {
                lengths.UnionWith([min, min - 1]);
            }

            foreach (var length in lengths)
            {
                yield return JsonValue.Create(Fill(s, length));
            }

            if (schema["pattern"] is not null)
            {
                yield return JsonValue.Create(s + "#");
                yield return JsonValue.Create("\u0007" + s);
                yield return JsonValue.Create(string.Empty);
                yield return JsonValue.Create(" ");
            }
        }
        else if (current is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
        {
            var step = schema["type"]?.ToJsonString().Contains("integer", StringComparison.Ordinal) == true ? 1m : 0.01m;
            foreach (var keyword in new[] { "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum" })
            {
                if (schema[keyword] is JsonValue bound && bound.GetValueKind() == JsonValueKind.Number && decimal.TryParse(bound.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var limit))
                {
                    yield return JsonValue.Create(limit);
                    yield return JsonValue.Create(limit - step);
                    yield return JsonValue.Create(limit + step);
                }
            }
        }
        else if (current is JsonArray array && array.Count > 0)
        {
            var counts = new SortedSet<int>();
            if (schema["maxItems"]?.GetValue<int>() is { } maxItems)
            {
                counts.UnionWith([maxItems, maxItems + 1]);
            }

            if (schema["minItems"]?.GetValue<int>() is { } minItems)
            {
                counts.UnionWith([minItems, Math.Max(0, minItems - 1)]);
            }

            foreach (var count in counts)
            {
                yield return new JsonArray([.. Enumerable.Range(0, count).Select(i => array[Math.Min(i, array.Count - 1)]!.DeepClone())]);
            }
        }
    }

    /// <summary>The value cut or padded (with its own last character) to <paramref name="length"/>.</summary>
    private static string Fill(string value, int length) =>
        value.Length >= length ? value[..length] : value + new string(value.Length == 0 ? 'a' : value[^1], length - value.Length);

    private static async Task<(HttpStatusCode Status, JsonObject? Problem)> SendAsync(HttpClient client, string method, string path, string? token, JsonNode body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        request.Headers.TryAddWithoutValidation("If-Match", "\"prop-etag\"");
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true && text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null);
    }

    /// <summary>Route parameters filled with values their own schemas accept; the resources do not exist (404 after validation).</summary>
    private static string Fill(string path) => RouteParameter().Replace(path, match => match.Groups[1].Value switch
    {
        "vin" => Vin,
        "code" => "heated-seats",
        "geofenceId" => "depot",
        "simulator" => "card-payments",
        _ => "prop-" + match.Groups[1].Value.ToLowerInvariant(),
    });

    /// <summary>Whether the problem's errors name the field: the same path, or one inside or around it.</summary>
    private static bool NamesField(JsonObject? problem, string field)
    {
        if (problem?["errors"] is not JsonObject errors)
        {
            return false;
        }

        foreach (var (key, _) in errors)
        {
            var name = key.StartsWith("$.", StringComparison.Ordinal) ? key[2..] : key;
            if (Related(name, field) || Related(field, name))
            {
                return true;
            }
        }

        return false;

        static bool Related(string outer, string inner) =>
            string.Equals(outer, inner, StringComparison.OrdinalIgnoreCase)
            || inner.StartsWith(outer + ".", StringComparison.OrdinalIgnoreCase)
            || inner.StartsWith(outer + "[", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"/polygon/0/lat" is "polygon[0].lat", as problem details write it.</summary>
    private static string FieldName(string pointer)
    {
        var builder = new StringBuilder();
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            builder.Append(part.All(char.IsAsciiDigit) ? $"[{part}]" : builder.Length == 0 ? part : "." + part);
        }

        return builder.ToString();
    }

    private static JsonNode? Get(JsonNode root, string pointer) =>
        pointer.Split('/', StringSplitOptions.RemoveEmptyEntries).Aggregate((JsonNode?)root, (node, part) => node switch
        {
            JsonArray array => array[int.Parse(part, CultureInfo.InvariantCulture)],
            JsonObject obj => obj[part],
            _ => null,
        });

    private static void Set(JsonNode root, string pointer, JsonNode? value)
    {
        var parts = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parent = Get(root, "/" + string.Join('/', parts[..^1]))!;
        if (parent is JsonArray array)
        {
            array[int.Parse(parts[^1], CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            parent[parts[^1]] = value;
        }
    }

    private static string? RoleFor(IReadOnlyList<RouteSecurity> routes, string method, string path)
    {
        var route = routes.FirstOrDefault(r => r.Method == method && string.Equals(OptionalOrConstrained().Replace(r.Pattern, "{${name}}"), path, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{method} {path} is not a route of the host.");
        return route.Anonymous ? null : PreferredRoles.FirstOrDefault(route.Roles.Contains) ?? (route.Roles.Count > 0 ? route.Roles[0] : "customer");
    }

    private static Task<string> TokenAsync(HttpClient client, string role) => DevTokens.IssueAsync(client, "prop-" + role, Tenant, role);

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";

    [GeneratedRegex(@"\{([^}:?]+)(?::[^}]*)?\??\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"\{(?<name>[^}:?]+)(?::[^}]*)?\??\}")]
    private static partial Regex OptionalOrConstrained();
}
