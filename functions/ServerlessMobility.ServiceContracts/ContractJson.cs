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
        Converters = { new JsonStringEnumConverter() },
    };
}
