using ServerlessMobility.Infrastructure.Tests.Bicep;

namespace ServerlessMobility.Infrastructure.Tests.HostJson;

public class HostJsonTests
{
    [Fact]
    public void RepositoryHostJson_Shape_IsValid()
    {
        var errors = HostJsonValidator.Validate(File.ReadAllText(RepositoryRoot.Path("host.json")));

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    [Fact]
    public void Validate_ExtensionsNestedUnderLogging_IsReported()
    {
        // The mistake seen in a Durable Functions sample: the whole extensions block inside logging.
        const string wrong = """
        {
          "version": "2.0",
          "logging": {
            "logLevel": { "default": "Information" },
            "extensions": {
              "durableTask": { "hubName": "SampleHub" }
            }
          }
        }
        """;

        var errors = HostJsonValidator.Validate(wrong);

        Assert.Contains(errors, e => e.Contains("\"extensions\" is nested under \"logging\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{ "logging": {} }""", "\"version\" must be \"2.0\"")]
    [InlineData("""{ "version": "1.0" }""", "\"version\" must be \"2.0\"")]
    [InlineData("""{ "version": 2.0 }""", "\"version\" must be \"2.0\"")]
    [InlineData("""{ "version": "2.0", "durableTask": { "hubName": "x" } }""", "belongs under \"extensions\"")]
    [InlineData("""{ "version": "2.0", "extensions": { "logging": { } } }""", "\"logging\" is nested under \"extensions\"")]
    [InlineData("""{ "version": "2.0", "logging": { "durableTask": { } } }""", "belongs under \"extensions\"")]
    [InlineData("""{ "version": "2.0", "extensions": { "eventHub": { } } }""", "\"extensions.eventHub\" is not a known setting")]
    [InlineData("""{ "version": "2.0", "logging": [] }""", "\"logging\" must be an object")]
    [InlineData("""{ "version": "2.0", """, "not valid JSON")]
    public void Validate_WrongDocument_IsReported(string json, string expected)
    {
        var errors = HostJsonValidator.Validate(json);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_CompleteValidDocument_HasNoErrors()
    {
        const string valid = """
        {
          "version": "2.0",
          "functionTimeout": "00:10:00",
          "logging": {
            "logLevel": { "default": "Information", "Host.Results": "Error" },
            "applicationInsights": { "samplingSettings": { "isEnabled": true } }
          },
          "extensions": {
            "http": { "routePrefix": "api" },
            "durableTask": { "hubName": "ServerlessMobility", "storageProvider": { "type": "AzureStorage" } },
            "eventHubs": { "maxEventBatchSize": 100, "batchCheckpointFrequency": 1 },
            "serviceBus": { "maxConcurrentCalls": 16 }
          }
        }
        """;

        Assert.Empty(HostJsonValidator.Validate(valid));
    }
}
