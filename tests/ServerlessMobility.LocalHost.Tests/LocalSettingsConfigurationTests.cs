using Microsoft.Extensions.Configuration;
using ServerlessMobility.LocalHost.Configuration;

namespace ServerlessMobility.LocalHost.Tests;

public class LocalSettingsConfigurationTests
{
    [Fact]
    public void Load_FunctionsValues_MapsDoubleUnderscoreToSections()
    {
        var path = Path.Combine(Path.GetTempPath(), $"local.settings.{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
        {
          "IsEncrypted": false,
          "Values": {
            "AzureWebJobsStorage": "UseDevelopmentStorage=true",
            "CosmosDb__DatabaseName": "fleet",
            "Mqtt__Port": 1884
          }
        }
        """);
        try
        {
            var configuration = new ConfigurationBuilder().AddLocalSettings(path).Build();

            Assert.Equal("UseDevelopmentStorage=true", configuration["AzureWebJobsStorage"]);
            Assert.Equal("fleet", configuration["CosmosDb:DatabaseName"]);
            Assert.Equal("1884", configuration.GetSection("Mqtt")["Port"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_MissingFile_YieldsNoValues()
    {
        var configuration = new ConfigurationBuilder().AddLocalSettings("/nonexistent/local.settings.json").Build();

        Assert.Empty(configuration.AsEnumerable());
    }

    [Fact]
    public void Build_NonLoopbackUrl_IsRefused()
    {
        var exception = Assert.Throws<InvalidOperationException>(() =>
            LocalHostApplication.Build(["--LocalHost:Urls=http://0.0.0.0:7071", "--LocalSettingsPath=(none)"]));

        Assert.Contains("loopback", exception.Message, StringComparison.Ordinal);
    }
}
