using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace ServerlessMobility.Testing;

/// <summary>
/// maildev (npm) on free loopback ports: a real SMTP server that keeps what it receives, and its REST API
/// (GET /api/email) for tests to read the mail. Mail is kept in a temporary folder of its own, removed on dispose.
/// </summary>
public sealed class MaildevProcess : IAsyncDisposable
{
    private readonly string _directory;

    private MaildevProcess(ExternalProcess process, int smtpPort, int webPort, string directory)
    {
        Process = process;
        SmtpPort = smtpPort;
        WebPort = webPort;
        _directory = directory;
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/api/") };
    }

    public ExternalProcess Process { get; }

    public int SmtpPort { get; }

    public int WebPort { get; }

    public HttpClient Api { get; }

    public static async Task<MaildevProcess> StartAsync()
    {
        var entry = Path.Combine(RepositoryPaths.NodeModules, "maildev", "dist", "bin", "maildev.js");
        if (!File.Exists(entry))
        {
            throw new InvalidOperationException($"maildev is not installed at {entry}: run 'npm ci' in the repository root.");
        }

        for (var attempt = 1; ; attempt++)
        {
            var smtp = FreeTcpPort.Next();
            var web = FreeTcpPort.Next();
            var directory = Directory.CreateTempSubdirectory("maildev-").FullName;
            var process = ExternalProcess.Start("maildev", "node",
            [
                entry, "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--smtp", smtp.ToString(CultureInfo.InvariantCulture),
                "--web", web.ToString(CultureInfo.InvariantCulture), "--mail-directory", directory, "--silent",
            ]);
            try
            {
                await FreeTcpPort.WaitUntilListeningAsync(smtp, TimeSpan.FromSeconds(30), () => process.HasExited);
                await FreeTcpPort.WaitUntilListeningAsync(web, TimeSpan.FromSeconds(30), () => process.HasExited);
                return new MaildevProcess(process, smtp, web, directory);
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 3)
            {
                await process.DisposeAsync();
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                var output = process.Output;
                await process.DisposeAsync();
                throw new InvalidOperationException($"maildev did not start: {output}", ex);
            }
        }
    }

    /// <summary>Every mail received so far to <paramref name="address"/> (tests keep apart by unique addresses).</summary>
    public async Task<IReadOnlyList<ReceivedMail>> MailToAsync(string address, CancellationToken cancellationToken = default)
    {
        var all = await Api.GetFromJsonAsync<ReceivedMail[]>("email", cancellationToken) ?? [];
        return [.. all.Where(m => m.To.Any(t => string.Equals(t.Address, address, StringComparison.OrdinalIgnoreCase)))];
    }

    /// <summary>The raw message (headers such as Content-Language and Message-ID, which the summary leaves out).</summary>
    public Task<string> SourceAsync(string id, CancellationToken cancellationToken = default) =>
        Api.GetStringAsync($"email/{Uri.EscapeDataString(id)}/source", cancellationToken);

    public Task<byte[]> AttachmentAsync(string id, string fileName, CancellationToken cancellationToken = default) =>
        Api.GetByteArrayAsync($"email/{Uri.EscapeDataString(id)}/attachment/{Uri.EscapeDataString(fileName)}", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleaning.
        }
    }
}

public sealed record MailAddress([property: JsonPropertyName("address")] string Address, [property: JsonPropertyName("name")] string? Name);

public sealed record MailAttachment([property: JsonPropertyName("filename")] string FileName, [property: JsonPropertyName("generatedFileName")] string GeneratedFileName,
    [property: JsonPropertyName("contentType")] string ContentType);

/// <summary>maildev's summary of one received message.</summary>
public sealed record ReceivedMail(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("subject")] string Subject,
    [property: JsonPropertyName("from")] IReadOnlyList<MailAddress> From,
    [property: JsonPropertyName("to")] IReadOnlyList<MailAddress> To,
    [property: JsonPropertyName("text")] string? Text,
    [property: JsonPropertyName("html")] string? Html,
    [property: JsonPropertyName("attachments")] IReadOnlyList<MailAttachment>? Attachments);
