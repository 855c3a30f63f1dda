using System.ComponentModel.DataAnnotations;

namespace ServerlessMobility.Storage.AzureStorage;

/// <summary>
/// Azure Storage (Blob, Queue, Table). Locally a connection string to Azurite; in Azure the account
/// name alone, with the app's managed identity (no keys in app settings).
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>A connection string (Azurite locally). Falls back to <c>AzureWebJobsStorage</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>With managed identity: the account name (endpoints are derived from it).</summary>
    public string? AccountName { get; set; }

    /// <summary>
    /// Prepended to every table, queue and container name so that test runs and hosts sharing one
    /// account stay apart. Lower-case letters and digits only (the strictest of the three naming rules).
    /// </summary>
    [RegularExpression("^[a-z0-9]{0,20}$")]
    public string ResourcePrefix { get; set; } = string.Empty;
}
