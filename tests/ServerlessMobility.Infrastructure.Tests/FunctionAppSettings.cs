using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessMobility.Infrastructure.Tests.Bicep;

namespace ServerlessMobility.Infrastructure.Tests;

/// <summary>
/// What the settings tests compare: the keys the code reads (local.settings.sample.json, the file the
/// local host reads) and the Function App's app settings in the compiled template.
/// </summary>
internal static partial class FunctionAppSettings
{
    /// <summary>
    /// Keys of local.settings.sample.json that are deliberately NOT app settings in Azure, with the reason.
    /// A new key in the sample is an app setting unless it is added here.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> LocalOnly = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Notifications__Smtp__Host"] = "SMTP is the local channel (maildev); Azure sends e-mail through Communication Services (Notifications__EmailChannel = Acs).",
        ["Notifications__Smtp__Port"] = "The local SMTP server's port.",
        ["Notifications__Smtp__Security"] = "The local SMTP server's TLS mode.",
        ["Notifications__Smtp__UserName"] = "The local SMTP server takes no credentials.",
        ["Notifications__Smtp__Password"] = "The local SMTP server takes no credentials.",
        ["Notifications__Smtp__Timeout"] = "The local SMTP client's timeout.",
        ["Notifications__Acs__AccessKey"] = "Azure signs in to Communication Services with the app's managed identity (empty key).",
        ["CosmosDb__Key"] = "Azure uses the managed identity (empty key -> DefaultAzureCredential); the account has local auth disabled.",
        ["LocalHost__Urls"] = "Kestrel address of the local host (Host B) only; the Functions host listens on its own.",
        ["LocalHost__TimeProfile"] = "The local host's time profile (run-local.sh --profile fast); Azure runs the real waits.",
        ["Mqtt__Enabled"] = "The embedded MQTT broker stands in for IoT Hub locally; vehicles connect to IoT Hub in Azure.",
        ["Mqtt__Port"] = "Port of that embedded broker.",
        ["Mqtt__HubHostName"] = "The hub name that embedded broker expects in device user names and SAS tokens; IoT Hub has its own host name (IoTHub__HostName).",
        ["Auth__DevSigningKey"] = "Signs Development-only tokens from POST /api/dev/token; Azure validates Entra ID tokens.",
        ["Durable__PartitionCount"] = "The local host's task hub only; Durable Functions reads host.json extensions.durableTask.storageProvider.partitionCount.",
        ["Durable__EnableWorker"] = "The local host only: a client-only local host sets false.",
        ["Durable__MaxQueuePollingInterval"] = "The local host only; host.json sets storageProvider.maxQueuePollingInterval in Azure.",
        ["Durable__ControlQueueVisibilityTimeout"] = "The local host only; host.json's storageProvider.controlQueueVisibilityTimeout in Azure.",
        ["Durable__WorkItemQueueVisibilityTimeout"] = "The local host only; host.json's storageProvider.workItemQueueVisibilityTimeout in Azure.",
        ["Durable__LeaseInterval"] = "The local host only; the Durable extension manages partition leases in Azure.",
        ["Durable__LeaseAcquireInterval"] = "The local host only; the Durable extension manages partition leases in Azure.",
        ["Durable__ExtendedSessionsEnabled"] = "The local host only; host.json sets extendedSessionsEnabled in Azure.",
        ["Durable__ExtendedSessionIdleTimeout"] = "The local host only; host.json sets extendedSessionIdleTimeoutInSeconds in Azure.",
        ["Durable__MaxConcurrentActivities"] = "The local host only; host.json sets maxConcurrentActivityFunctions in Azure.",
        ["Durable__MaxConcurrentOrchestrations"] = "The local host only; host.json sets maxConcurrentOrchestratorFunctions in Azure.",
        ["Durable__MaximumTimerInterval"] = "The local host only; the Durable extension splits long timers itself in Azure.",
        ["Durable__StopTimeout"] = "The local host only: how long it waits for its worker to release partitions on shutdown.",
        ["Durable__RegisterSampleWorkflows"] = "Diagnostic workflows of the crash, two-host and benchmark runs; never deployed.",
        ["CarAsAService__Simulators__CallbackBaseUrl"] = "The in-process partner simulators post their webhooks to the local host; Azure talks to real partners (Outbound__Mode = Http).",
        ["CarAsAService__Features__Reconciler__Interval"] = "The local host's sweep interval; the Functions app's timer trigger runs the sweep every five minutes.",
        ["CarAsAService__Simulators__AutoPay"] = "Simulator behaviour, local only.",
        ["CarAsAService__Simulators__AutoManufacture"] = "Simulator behaviour, local only.",
        ["CarAsAService__Simulators__StepDelay"] = "Simulator behaviour, local only.",
        ["Simulators__NeverAnswerTimeout"] = "Simulator behaviour (the Development control API), local only.",
        ["Demo__DriveVehicles"] = "Demo vehicles driven in-process over the local broker; in Azure vehicles connect to IoT Hub.",
        ["Demo__DriveInterval"] = "Interval of those demo vehicles.",
        ["Telemetry__Ingestion__Partitions"] = "Parallelism of the local MQTT ingestion; in Azure the Event Hubs partitions decide it.",
        ["Telemetry__Ingestion__MaxBatchSize"] = "Local MQTT ingestion batching; host.json extensions.eventHubs.maxEventBatchSize in Azure.",
        ["Telemetry__Ingestion__MaxBatchWait"] = "Local MQTT ingestion batching; host.json extensions.eventHubs.maxWaitTime in Azure.",
        ["Telemetry__Ingestion__PartitionCapacity"] = "Back-pressure bound of the local MQTT ingestion; Event Hubs keeps the backlog in Azure.",
        ["Telemetry__Ingestion__OfflineCheckInterval"] = "Local background loop; the CheckVehiclesOffline timer trigger's schedule in Azure.",
    };

    /// <summary>
    /// Keys of the sample that Azure satisfies in another form: the identity-based app setting that
    /// replaces a connection string, or a platform property that Flex Consumption uses instead.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ReplacedInAzure = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AzureWebJobsStorage"] = "AzureWebJobsStorage__accountName",
        ["FUNCTIONS_WORKER_RUNTIME"] = "functionAppConfig.runtime.name",
    };

    /// <summary>Settings whose values are secrets: they must be Key Vault references.</summary>
    public static readonly IReadOnlyList<string> KeyVaultReferenced =
    [
        "Security__Pii__EncryptionKey",
        "Security__Pii__LookupKey",
        "IoTHubEvents",
        "CarAsAService__Webhooks__PaymentsSecret",
        "CarAsAService__Webhooks__FactorySecret",
        "Showroom__Live__AzureSignalR__ConnectionString",
    ];

    public static IReadOnlyList<string> SampleKeys()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Path("local.settings.sample.json")));
        return [.. document.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name)];
    }

    public static string SampleValue(string key)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryRoot.Path("local.settings.sample.json")));
        return document.RootElement.GetProperty("Values").GetProperty(key).GetString() ?? string.Empty;
    }

    /// <summary>The Function App's app settings: key -> value as written in the template (literal or ARM expression).</summary>
    public static IReadOnlyDictionary<string, string> Of(JsonObject mainTemplate)
    {
        var config = ArmTemplate.AllResources(mainTemplate)
            .Where(r => r.Type == "Microsoft.Web/sites/config" && (r.Node["name"]?.GetValue<string>() ?? string.Empty).Contains("appsettings", StringComparison.Ordinal))
            .ToArray();
        var settings = config switch
        {
            [var one] => one.Properties ?? throw new InvalidOperationException("The appsettings resource has no properties."),
            _ => throw new InvalidOperationException($"Expected one Microsoft.Web/sites/config 'appsettings' resource, found {config.Length}."),
        };
        return settings.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
    }

    /// <summary>
    /// Values that put a secret into app settings: account keys or SAS keys inline, or a template
    /// function that reads keys (list*) — those belong in Key Vault, referenced by @Microsoft.KeyVault(...).
    /// </summary>
    public static IReadOnlyList<string> SecretLeaks(IReadOnlyDictionary<string, string> settings) =>
        [.. settings
            .Where(s => s.Value.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase)
                || s.Value.Contains("SharedAccessKey=", StringComparison.OrdinalIgnoreCase)
                || s.Value.Contains("SharedAccessSignature", StringComparison.OrdinalIgnoreCase)
                || ListFunction().IsMatch(s.Value))
            .Select(s => $"{s.Key} = {s.Value}")];

    public static bool IsKeyVaultReference(string value) =>
        KeyVaultReference().IsMatch(value);

    // An ARM list* call (listKeys, listConnectionStrings, listSecrets, ...), as a function or on a reference.
    [GeneratedRegex(@"\blist[A-Za-z]*\(", RegexOptions.IgnoreCase)]
    private static partial Regex ListFunction();

    // Literal "@Microsoft.KeyVault(...)" or the template's format('@Microsoft.KeyVault(...)', ...).
    [GeneratedRegex(@"^(\[format\(')?@Microsoft\.KeyVault\((VaultName=|SecretUri=)", RegexOptions.None)]
    private static partial Regex KeyVaultReference();
}
