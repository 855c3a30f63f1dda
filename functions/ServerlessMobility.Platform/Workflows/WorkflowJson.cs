using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;

namespace ServerlessMobility.Platform.Workflows;

/// <summary>
/// How workflow inputs, outputs, events and custom status are written: camelCase with enums as names, the
/// same as the HTTP API. Both hosts use it (the local worker and client through <see cref="Converter"/>, the
/// Azure Functions worker as its serializer), so an instance's status reads the same everywhere.
/// </summary>
public static class WorkflowJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static DataConverter Converter { get; } = new JsonDataConverter(Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
