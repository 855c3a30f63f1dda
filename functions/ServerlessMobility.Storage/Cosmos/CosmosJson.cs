using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMobility.Storage.Cosmos;

/// <summary>Documents are camelCase JSON with string enums, the same shape the API returns.</summary>
public static class CosmosJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
