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
    public StorageClients(IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        Prefix = value.ResourcePrefix;
        if (!string.IsNullOrWhiteSpace(value.ConnectionString))
        {
            Tables = new TableServiceClient(value.ConnectionString);
            Blobs = new BlobServiceClient(value.ConnectionString);
            Queues = new QueueServiceClient(value.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        }
        else if (!string.IsNullOrWhiteSpace(value.AccountName))
        {
            TokenCredential credential = new DefaultAzureCredential();
            Tables = new TableServiceClient(new Uri($"https://{value.AccountName}.table.core.windows.net"), credential);
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
