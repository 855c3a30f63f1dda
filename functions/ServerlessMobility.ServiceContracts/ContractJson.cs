using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMobility.ServiceContracts;

/// <summary>
/// The one JSON form contract documents and records are hashed in. Fixed here, not taken from the host's HTTP
/// options, so a hash computed at the sale still matches years later whatever the API's settings become.
/// </summary>
public static class ContractJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(), new ScaleFreeDecimalConverter() },
    };

    /// <summary>
    /// Writes a decimal without trailing zeros (654.50 as 654.5). Cosmos DB keeps JSON numbers as doubles, so a stored
    /// 654.50 comes back as 654.5: the same amount, another scale, and without this another hash.
    /// </summary>
    private sealed class ScaleFreeDecimalConverter : JsonConverter<decimal>
    {
        // Dividing by 1 with 28 decimal zeros drops trailing zeros from the scale without changing the value.
        private const decimal One = 1.0000000000000000000000000000m;

        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteNumberValue(value / One);
        }
    }
}
