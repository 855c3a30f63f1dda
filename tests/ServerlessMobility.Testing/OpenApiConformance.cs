using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ServerlessMobility.Testing;

/// <summary>
/// Checks HTTP responses against the host's own OpenAPI document (issue 16 item 14): the operation exists, the status
/// is listed for it, and a JSON body is valid against the schema documented for that status and media type. The
/// document is read once per host from its OpenAPI route; what does not conform is recorded and reported with the
/// operation, the status and the JSON path.
/// </summary>
public sealed class OpenApiConformance
{
    public const string DocumentRoute = "/api/openapi.json";

    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly (string Template, string[] Segments, int Literals)[] _templates;

    public OpenApiConformance(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        Document = document;
        _components = new Lazy<Uri>(() => RegisterComponents(document));
        _templates = [.. (document["paths"] as JsonObject ?? []).Select(p =>
        {
            var segments = p.Key.Split('/', StringSplitOptions.RemoveEmptyEntries);
            return (p.Key, segments, segments.Count(s => !s.StartsWith('{')));
        }).OrderByDescending(t => t.Item3)];
    }

    public JsonObject Document { get; }

    private readonly Lazy<Uri> _components;

    /// <summary>Every violation seen so far, one line each.</summary>
    public IReadOnlyCollection<string> Violations => _violations;

    /// <summary>Reads the document through <paramref name="server"/> (the host's handler, without any checking in front).</summary>
    public static async Task<OpenApiConformance> LoadAsync(HttpMessageHandler server, Uri baseAddress, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(server, disposeHandler: false) { BaseAddress = baseAddress };
        for (var attempt = 1; ; attempt++)
        {
            using var response = await client.GetAsync(new Uri(DocumentRoute, UriKind.Relative), cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return new OpenApiConformance(JsonNode.Parse(text)!.AsObject());
            }

            // A failed generation is said with the host's answer; one retry tells a passing hiccup from a broken document.
            if (attempt == 2)
            {
                throw new InvalidOperationException($"{DocumentRoute} answered {(int)response.StatusCode}: {text}");
            }
        }
    }

    /// <summary>The documented template of a request path ("/api/orders/{id}"), or null when no path matches.</summary>
    public string? TemplateOf(string method, string path)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var verb = method.ToLowerInvariant();
        foreach (var (template, parts, _) in _templates)
        {
            if (parts.Length == segments.Length
                && parts.Zip(segments).All(p => p.First.StartsWith('{') ? p.Second.Length > 0 : string.Equals(p.First, p.Second, StringComparison.Ordinal))
                && Document["paths"]?[template]?[verb] is not null)
            {
                return template;
            }
        }

        return null;
    }

    /// <summary>What is wrong with one response; empty when the document describes it.</summary>
    public IReadOnlyList<string> Check(string method, string path, int status, string? mediaType, string? body)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        if (!path.StartsWith("/api/", StringComparison.Ordinal) && !path.StartsWith("/runtime/", StringComparison.Ordinal)
            || path.StartsWith("/api/docs", StringComparison.Ordinal) || path == DocumentRoute)
        {
            return [];
        }

        var template = TemplateOf(method, path);
        return template is null ? [$"{method} {path}: no operation in the document"] : CheckOperation(method, template, status, mediaType, body, fallBackToDefault: true);
    }

    /// <summary>
    /// What is wrong with one response of the operation at a documented <paramref name="template"/> ("/api/orders/{id}");
    /// empty when the document describes it.
    /// </summary>
    /// <param name="fallBackToDefault">
    /// Whether a status the operation does not list may be described by its "default" response (as a client reads the
    /// document); false to require every status to be listed.
    /// </param>
    public IReadOnlyList<string> CheckOperation(string method, string template, int status, string? mediaType, string? body, bool fallBackToDefault)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(template);
        var operation = $"{method} {template}";
        if (Document["paths"]?[template]?[method.ToLowerInvariant()] is not { } described)
        {
            return [$"{operation}: not in the document"];
        }

        var statusKey = status.ToString(CultureInfo.InvariantCulture);
        var responses = described["responses"];
        var documented = responses?[statusKey] ?? (fallBackToDefault ? responses?["default"] : null);
        if (documented is null)
        {
            return [$"{operation}: status {statusKey} is not listed (listed: {string.Join(", ", (responses as JsonObject ?? []).Select(r => r.Key))})"];
        }

        if (string.IsNullOrEmpty(body) || mediaType is null || !mediaType.Contains("json", StringComparison.Ordinal))
        {
            return [];
        }

        var schemaNode = documented["content"]?[mediaType]?["schema"];
        if (schemaNode is null)
        {
            return documented["content"] is JsonObject { Count: > 0 } content
                ? [$"{operation}: {statusKey} as {mediaType} is not documented (documented: {string.Join(", ", content.Select(c => c.Key))})"]
                : [];
        }

        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException)
        {
            return [$"{operation}: {statusKey} body is not JSON: {Truncate(body)}"];
        }

        var schema = _schemas.GetOrAdd($"{operation} {statusKey} {mediaType}", _ => SchemaOf(schemaNode));
        var errors = Errors(schema, instance);
        return errors.Count == 0 ? [] : [$"{operation}: {statusKey} body does not match its schema: {string.Join(" | ", errors)}; body {Truncate(body)}"];
    }

    /// <summary>The schema errors of <paramref name="instance"/>, each as "JSON path: message"; empty when valid.</summary>
    public static IReadOnlyList<string> Errors(JsonSchema schema, JsonNode? instance)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Take(5).Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}")];
    }

    /// <summary>
    /// A JSON Schema (2020-12) of one schema of the document. Its references to the document's component schemas point
    /// into one schema of all components, registered once per process for each distinct set of components: building
    /// every response's schema with its own copy of the components took most of the conformance checks' time.
    /// </summary>
    public JsonSchema SchemaOf(JsonNode schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        return JsonSchema.FromText(root.ToJsonString().Replace("\"#/components/schemas/", $"\"{_components.Value}#/$defs/", StringComparison.Ordinal));
    }

    private static readonly ConcurrentDictionary<string, Lazy<Uri>> RegisteredComponents = new(StringComparer.Ordinal);

    private static Uri RegisterComponents(JsonObject document)
    {
        var text = (document["components"]?["schemas"] ?? new JsonObject()).ToJsonString();
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
        return RegisteredComponents.GetOrAdd(hash, key => new Lazy<Uri>(() =>
        {
            var id = new Uri($"https://openapi-components.test/{key}");
            var components = new JsonObject
            {
                ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                ["$id"] = id.ToString(),
                ["$defs"] = JsonNode.Parse(text.Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal)),
            };
            SchemaRegistry.Global.Register(JsonSchema.FromText(components.ToJsonString()));
            return id;
        })).Value;
    }

    /// <summary>Records and returns the violations of one response.</summary>
    public async Task<IReadOnlyList<string>> CheckAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        string? body = null;
        if (mediaType is not null && mediaType.Contains("json", StringComparison.Ordinal))
        {
            // Buffered, so the test reads the same body afterwards.
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            body = await response.Content.ReadAsStringAsync(cancellationToken);
        }

        return Record(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, mediaType, body);
    }

    /// <summary><see cref="Check"/>, keeping what it found in <see cref="Violations"/>.</summary>
    public IReadOnlyList<string> Record(string method, string path, int status, string? mediaType, string? body)
    {
        var violations = Check(method, path, status, mediaType, body);
        foreach (var violation in violations)
        {
            _violations.Enqueue(violation);
        }

        return violations;
    }

    private static string Truncate(string text) => text.Length <= 400 ? text : text[..400] + "...";
}

/// <summary>A response the OpenAPI document does not describe.</summary>
public sealed class OpenApiViolationException(string message) : Exception(message)
{
    public OpenApiViolationException()
        : this("A response does not conform to the OpenAPI document.")
    {
    }

    public OpenApiViolationException(string message, Exception innerException)
        : this(message + " " + innerException?.Message)
    {
    }
}

/// <summary>
/// Put in front of a test client: every response is checked against the document as it arrives, and one the document
/// does not describe fails the request (and so the test) with the operation, status and JSON path.
/// </summary>
public sealed class OpenApiConformanceHandler(Func<CancellationToken, Task<OpenApiConformance>> conformance) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Content.Headers.ContentType is { MediaType: "text/event-stream" })
        {
            // A stream is checked by status only: its body never ends while the test reads it.
            var streamViolations = (await conformance(cancellationToken)).Record(request.Method.Method, request.RequestUri!.AbsolutePath, (int)response.StatusCode, null, null);
            return streamViolations.Count == 0 ? response : throw Fail(response, streamViolations);
        }

        var violations = await (await conformance(cancellationToken)).CheckAsync(request, response, cancellationToken);
        return violations.Count == 0 ? response : throw Fail(response, violations);
    }

    private static OpenApiViolationException Fail(HttpResponseMessage response, IReadOnlyList<string> violations)
    {
        response.Dispose();
        return new OpenApiViolationException("The OpenAPI document does not describe this response: " + string.Join(Environment.NewLine, violations));
    }
}
