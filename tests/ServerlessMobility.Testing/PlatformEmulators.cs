using Xunit;

namespace ServerlessMobility.Testing;

/// <summary>
/// One Azurite, one Cosmos server and one maildev (SMTP) per test assembly (an xunit assembly fixture), shared by tests
/// that run in parallel. Tests keep apart by asking for unique resource prefixes and database names.
/// </summary>
public sealed class PlatformEmulators : IAsyncLifetime
{
    private AzuriteProcess? _azurite;
    private CosmosServerProcess? _cosmos;
    private MaildevProcess? _maildev;

    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Not started.");

    public CosmosServerProcess Cosmos => _cosmos ?? throw new InvalidOperationException("Not started.");

    public MaildevProcess Maildev => _maildev ?? throw new InvalidOperationException("Not started.");

    public string StorageConnectionString => Azurite.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        var azurite = AzuriteProcess.StartAsync();
        var cosmos = CosmosServerProcess.StartAsync();
        var maildev = MaildevProcess.StartAsync();
        await Task.WhenAll(azurite, cosmos, maildev);
        _azurite = azurite.Result;
        _cosmos = cosmos.Result;
        _maildev = maildev.Result;
    }

    public async ValueTask DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }

        if (_cosmos is not null)
        {
            await _cosmos.DisposeAsync();
        }

        if (_maildev is not null)
        {
            await _maildev.DisposeAsync();
        }
    }

    /// <summary>A storage resource prefix no other test uses (letters and digits, starts with a letter).</summary>
    public static string UniquePrefix() => "t" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>Configuration for a host or service collection that uses these emulators.</summary>
    public Dictionary<string, string?> Settings(string? resourcePrefix = null, string? databaseName = null) => new()
    {
        ["Storage:ConnectionString"] = StorageConnectionString,
        ["Storage:ResourcePrefix"] = resourcePrefix ?? UniquePrefix(),
        ["CosmosDb:Endpoint"] = Cosmos.Endpoint.ToString(),
        ["CosmosDb:Key"] = CosmosServerProcess.Key,
        ["CosmosDb:DatabaseName"] = databaseName ?? "db-" + Guid.NewGuid().ToString("N")[..12],
        ["CosmosDb:AcceptSelfSignedCertificate"] = "true",
        ["Security:Pii:EncryptionKey"] = TestPiiEncryptionKey,
        ["Security:Pii:LookupKey"] = TestPiiLookupKey,
        ["Notifications:Smtp:Host"] = "127.0.0.1",
        ["Notifications:Smtp:Port"] = Maildev.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Documents:LinkSigningKey"] = TestDocumentLinkKey,
    };

    public static string TestDocumentLinkKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Keys made per test run: no key material is kept in the repository.</summary>
    public static string TestPiiEncryptionKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public static string TestPiiLookupKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
}
