using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.Platform.Operations;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Hosting.Authentication;

namespace ServerlessMobility.LocalHost;

/// <summary>
/// Makes the OpenAPI document say what the API does (issue 16 item 14): the error statuses every operation can
/// answer with their problem-details schema, a bearer requirement only where a token is required, the
/// Idempotency-Key header of every POST, nullable properties that accept null, and the VIN pattern of every {vin}
/// route parameter. Request-body limits are DataAnnotations on the request records, naming the validators' constants;
/// <see cref="DeclareRequestRules"/> turns what DataAnnotations cannot say (required versus optional, allowed values,
/// dictionary limits) into the schema, and numbers are documented as JSON numbers so that their ranges bind.
/// </summary>
public static class OpenApiSetup
{
    public const string ProblemSchema = "ProblemDetails";

    public static IServiceCollection AddPlatformOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer(DescribeDocument);
            options.AddOperationTransformer(DescribeOperation);
            options.AddSchemaTransformer(AllowNullInNullableReferences);
            options.AddSchemaTransformer(DeclareRequestRules);
        });

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "ServerlessMobility API";
        document.Info.Description = "Car-as-a-Service, rent-to-own, service contracts, showroom and workshop APIs. Errors are RFC 9457 problem details (application/problem+json) carrying a traceId.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "In Development, get a token from POST /api/dev/token.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Quote it to support: the server's logs hold the details under it." },
                ["rule"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "422 only: the business rule that was broken." },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "400 only: messages per field (a JSON path such as $.customer.email, or a parameter name).",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
            Required = new HashSet<string> { "title", "status" },
        };

        // Security is declared per operation: anonymous routes (health, docs, dev token, webhooks) need no token.
        document.Security = null;

        var visited = new HashSet<IOpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var schema in document.Components.Schemas.Values)
        {
            NullableOneOfToAnyOf(schema, visited);
        }

        foreach (var operation in document.Paths?.Values.SelectMany(p => (IEnumerable<OpenApiOperation>?)p.Operations?.Values ?? []) ?? [])
        {
            var responses = operation.Responses is null ? [] : operation.Responses.Values.SelectMany(r => r.Content is null ? [] : r.Content.Values);
            var requests = operation.RequestBody?.Content is { } requestContent ? requestContent.Values : Enumerable.Empty<OpenApiMediaType>();
            foreach (var media in responses.Concat(requests))
            {
                if (media.Schema is not null)
                {
                    NullableOneOfToAnyOf(media.Schema, visited);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The generator writes a nullable value as oneOf [null, X]; where X admits null too (a shared enum or "any JSON"
    /// schema), null matches both and oneOf refuses it (Order.manufacturingStage). anyOf says what is meant.
    /// </summary>
    private static void NullableOneOfToAnyOf(IOpenApiSchema schema, HashSet<IOpenApiSchema> visited)
    {
        if (schema is not OpenApiSchema concrete || !visited.Add(concrete))
        {
            return;
        }

        if (concrete.OneOf is { Count: > 0 } oneOf && oneOf.Any(o => o.Type == JsonSchemaType.Null))
        {
            concrete.AnyOf = [.. oneOf];
            concrete.OneOf = null;
        }

        foreach (var child in (concrete.Properties?.Values ?? []).Concat(concrete.AnyOf ?? []).Concat(concrete.OneOf ?? []).Concat(concrete.AllOf ?? []))
        {
            NullableOneOfToAnyOf(child, visited);
        }

        if (concrete.Items is not null)
        {
            NullableOneOfToAnyOf(concrete.Items, visited);
        }

        if (concrete.AdditionalProperties is not null)
        {
            NullableOneOfToAnyOf(concrete.AdditionalProperties, visited);
        }
    }

    private static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var method = context.Description.HttpMethod ?? "GET";
        var hasBody = operation.RequestBody is not null || context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Body");
        operation.Responses ??= new OpenApiResponses();

        if (!anonymous)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", context.Document)] = [] }];
            Problem(operation, context, 401, "No token, or an invalid or expired one (WWW-Authenticate: Bearer).");
            Problem(operation, context, 403, "The token's role does not allow this operation.");
        }

        Problem(operation, context, 400, "Malformed input: errors per JSON path or parameter.");
        Problem(operation, context, 404, "Not found, or another tenant's (the API never says which).");
        Problem(operation, context, 405, "The route does not take this method.");
        Problem(operation, context, 414, "The URL is too long.");
        Problem(operation, context, 422, "A business rule is broken (rule names it).");
        Problem(operation, context, 429, "Rate limit reached (Retry-After says when to retry).");
        Problem(operation, context, 500, "Unexpected error, logged under the traceId.");
        Problem(operation, context, 503, "A dependency (Cosmos DB, Azure Storage) is not answering for now; retry after Retry-After.");
        if (!string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            Problem(operation, context, 409, "Conflicting state: a stale ETag, a duplicate, or the same Idempotency-Key still in flight.");
        }

        if (hasBody || string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase) || string.Equals(method, "PUT", StringComparison.OrdinalIgnoreCase))
        {
            Problem(operation, context, 413, "The body is larger than 1 MiB.");
            Problem(operation, context, 415, "The body is not application/json.");
        }

        // Every {vin} route resolves the vehicle through VehicleAccess.AuthorizeAsync, which matches VinFormat.Pattern.
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.In == ParameterLocation.Path && string.Equals(parameter.Name, "vin", StringComparison.Ordinal))
            {
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = VinFormat.Pattern, Description = VinFormat.Description };
            }
        }

        // Query values the handlers parse themselves (case-insensitively) from a string.
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName is { } name
            && QueryEnums.TryGetValue(name, out var queryEnum))
        {
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            {
                if (parameter.In == ParameterLocation.Query && string.Equals(parameter.Name, queryEnum.Parameter, StringComparison.Ordinal))
                {
                    parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. queryEnum.Values.Select(v => (JsonNode)JsonValue.Create(v)!)] };
                }
            }
        }

        if (string.Equals(method, "POST", StringComparison.OrdinalIgnoreCase))
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Idempotency-Key",
                In = ParameterLocation.Header,
                Required = false,
                Description = "Makes a retry safe: the same key and body replay the stored response (Idempotent-Replayed: true); another body is a 422; a retry while the first is running is a 409.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 128, Pattern = "^[\\x21-\\x7E]+$" },
            });
        }

        return Task.CompletedTask;
    }

    private static void Problem(OpenApiOperation operation, OpenApiOperationTransformerContext context, int status, string description)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing.Content?.ContainsKey("application/problem+json") == true)
        {
            return;
        }

        var response = existing as OpenApiResponse ?? new OpenApiResponse { Description = description };
        response.Content ??= new Dictionary<string, OpenApiMediaType>();
        response.Content["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ProblemSchema, context.Document) };
        operation.Responses[key] = response;
    }

    /// <summary>
    /// A property of a nullable reference type (Feature.monthlyPrice: Money?) may be null: it is inlined with null
    /// among its types, rather than a reference to a schema that refuses null. Nullable value types (enums such as
    /// Order.manufacturingStage) already get a oneOf with null from the generator. A NullabilityInfoContext per call:
    /// it caches in a plain dictionary, so one shared by concurrent document requests (two hosts in one process, or
    /// two clients at once) corrupted it for good and every later document answered 500.
    /// </summary>
    private static Task AllowNullInNullableReferences(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { } property && !property.PropertyType.IsValueType
            && property.AttributeProvider is System.Reflection.PropertyInfo info
            && new System.Reflection.NullabilityInfoContext().Create(info).ReadState == System.Reflection.NullabilityState.Nullable
            && !info.IsDefined(typeof(RequiredAttribute), inherit: true)
            && schema.Type is { } type && !type.HasFlag(JsonSchemaType.Null))
        {
            schema.Metadata?.Remove("x-schema-id");
            schema.Type = type | JsonSchemaType.Null;
        }

        return Task.CompletedTask;
    }

    private static readonly Dictionary<string, (string Parameter, string[] Values)> QueryEnums = new(StringComparer.Ordinal)
    {
        ["ListOrders"] = ("status", Enum.GetNames<OrderStatus>()),
        ["ListOperatorTasks"] = ("status", Enum.GetNames<OperatorTaskStatus>()),
    };

    /// <summary>Rules keyed by request type and JSON property that DataAnnotations cannot state.</summary>
    private static readonly Dictionary<(Type Type, string Property), Action<OpenApiSchema>> PropertyRules = new()
    {
        [(typeof(DevTokenRequest), "roles")] = schema =>
        {
            if (schema.Items is OpenApiSchema items)
            {
                items.Enum = [.. PlatformRoles.All.Order(StringComparer.Ordinal).Select(r => (JsonNode)JsonValue.Create(r)!)];
            }
        },
        // A nullable double comes out of the generator without its type (and, with a default value, without its range).
        [(typeof(ServerlessMobility.Telemetry.GeofenceRequest), "radiusMeters")] = schema =>
        {
            schema.Type = JsonSchemaType.Number | JsonSchemaType.Null;
            schema.ExclusiveMinimum = "0";
            schema.Maximum = ServerlessMobility.Telemetry.Geofence.MaxRadiusMeters.ToString(System.Globalization.CultureInfo.InvariantCulture);
        },
        [(typeof(FeatureDefinitionRequest), "configuration")] = schema =>
        {
            schema.MaxProperties = FeatureDefinitionRequest.MaxConfigurationEntries;
            schema.PropertyNames = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = FeatureDefinitionRequest.MaxConfigurationNameLength, Pattern = "\\S" };
            schema.AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = FeatureDefinitionRequest.MaxConfigurationValueLength };
        },
    };

    /// <summary>
    /// Numbers are documented as JSON numbers (the string form the serializer also reads is a leniency, and a range
    /// does not bind a string); an object's required properties are those marked [Required] plus the non-nullable ones,
    /// and a [Required] property does not accept null; [AllowedValues] becomes an enum; <see cref="PropertyRules"/>.
    /// </summary>
    private static Task DeclareRequestRules(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (schema.Type is { } type && (type.HasFlag(JsonSchemaType.Number) || type.HasFlag(JsonSchemaType.Integer)) && type.HasFlag(JsonSchemaType.String))
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        if (context.JsonPropertyInfo is { AttributeProvider: PropertyInfo propertyInfo } property)
        {
            if (propertyInfo.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed)
            {
                schema.Enum = [.. allowed.Values.Select(v => (JsonNode)JsonValue.Create(v?.ToString())!)];
            }

            if (propertyInfo.DeclaringType is { } declaring && PropertyRules.TryGetValue((declaring, property.Name), out var rule))
            {
                rule(schema);
            }
        }

        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 } properties)
        {
            foreach (var member in context.JsonTypeInfo.Properties)
            {
                if (member.AttributeProvider is not PropertyInfo info || !properties.TryGetValue(member.Name, out var propertySchema))
                {
                    continue;
                }

                if (info.IsDefined(typeof(RequiredAttribute), inherit: true))
                {
                    schema.Required ??= new HashSet<string>(StringComparer.Ordinal);
                    schema.Required.Add(member.Name);
                    properties[member.Name] = WithoutNull(propertySchema);
                }
                else if (Nullable.GetUnderlyingType(info.PropertyType) is not null
                    || (!info.PropertyType.IsValueType && new NullabilityInfoContext().Create(info).ReadState == NullabilityState.Nullable)
                    || HasDefault(info))
                {
                    // The handler treats a missing value as "not given".
                    schema.Required?.Remove(member.Name);
                }
            }
        }

        return Task.CompletedTask;
    }

    private static IOpenApiSchema WithoutNull(IOpenApiSchema schema)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return schema;
        }

        var branches = concrete.OneOf ?? concrete.AnyOf;
        if (branches is { Count: 2 } && branches.Count(b => b.Type == JsonSchemaType.Null) == 1)
        {
            return branches.First(b => b.Type != JsonSchemaType.Null);
        }

        if (concrete.Type is { } type && type.HasFlag(JsonSchemaType.Null))
        {
            concrete.Type = type & ~JsonSchemaType.Null;
        }

        return concrete;
    }

    /// <summary>A record's positional parameter with a default value is optional in JSON.</summary>
    private static bool HasDefault(PropertyInfo info) =>
        info.DeclaringType?.GetConstructors().SelectMany(c => c.GetParameters())
            .Any(p => p.HasDefaultValue && string.Equals(p.Name, info.Name, StringComparison.Ordinal)) == true;
}

