using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMobility.Durable.History;

/// <summary>The one JSON shape for payloads and engine records (web defaults, enums as strings).</summary>
internal static class DurableJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string? Serialize(object? value, Type? type = null) =>
        value is null ? null : JsonSerializer.Serialize(value, type ?? value.GetType(), Options);

    public static string SerializeRecord<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T DeserializeRecord<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Empty {typeof(T).Name} record.");

    public static object? Deserialize(string? json, Type type) =>
        json is null ? (type.IsValueType ? Activator.CreateInstance(type) : null) : JsonSerializer.Deserialize(json, type, Options);

    public static T Deserialize<T>(string? json) => (T)Deserialize(json, typeof(T))!;

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
