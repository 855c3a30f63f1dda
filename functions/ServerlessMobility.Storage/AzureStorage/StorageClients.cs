using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace ServerlessMobility.Storage.AzureStorage;

/// <summary>
/// The three Azure Storage service clients, built once from <see cref="StorageOptions"/>, and the
/// resource names with the configured prefix applied.
/// </summary>
public sealed class StorageClients
{
    /// <param name="policies">Extra pipeline policies for the table client (diagnostics, fault injection in tests).</param>
    public StorageClients(IOptions<StorageOptions> options, IEnumerable<StorageClientPolicy>? policies = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        Prefix = value.ResourcePrefix;
        var tableOptions = new TableClientOptions();
        foreach (var policy in policies ?? [])
        {
            tableOptions.AddPolicy(policy.Policy, policy.Position);
        }

        if (!string.IsNullOrWhiteSpace(value.ConnectionString))
        {
            Tables = new TableServiceClient(value.ConnectionString, tableOptions);
            Blobs = new BlobServiceClient(value.ConnectionString);
            Queues = new QueueServiceClient(value.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        }
        else if (!string.IsNullOrWhiteSpace(value.AccountName))
        {
            TokenCredential credential = new DefaultAzureCredential();
            Tables = new TableServiceClient(new Uri($"https://{value.AccountName}.table.core.windows.net"), credential, tableOptions);
            Blobs = new BlobServiceClient(new Uri($"https://{value.AccountName}.blob.core.windows.net"), credential);
            Queues = new QueueServiceClient(new Uri($"https://{value.AccountName}.queue.core.windows.net"), credential, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        }
        else
        {
            throw new OptionsValidationException(StorageOptions.SectionName, typeof(StorageOptions), ["Storage:ConnectionString (or AzureWebJobsStorage) or Storage:AccountName is required."]);
        }
    }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    public string Prefix { get; }

    /// <summary>A table name: letters and digits, starting with a letter.</summary>
    public string TableName(string name) => Prefix + name;

    /// <summary>A queue or blob container name: lower case, digits and hyphens.</summary>
    public string QueueName(string name) => (Prefix.Length > 0 ? Prefix + "-" : string.Empty) + name.ToLowerInvariant();

    public string ContainerName(string name) => QueueName(name);

    public TableClient GetTable(string name) => Tables.GetTableClient(TableName(name));

    public QueueClient GetQueue(string name) => Queues.GetQueueClient(QueueName(name));

    public BlobContainerClient GetContainer(string name) => Blobs.GetBlobContainerClient(ContainerName(name));
}

/// <summary>A pipeline policy the table client adds to every request (registered in DI; none by default).</summary>
public sealed record StorageClientPolicy(Azure.Core.Pipeline.HttpPipelinePolicy Policy, Azure.Core.HttpPipelinePosition Position = Azure.Core.HttpPipelinePosition.PerCall);
