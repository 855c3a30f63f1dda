using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace ServerlessMobility.Testing;

/// <summary>
/// maildev (npm) on free loopback ports: a real SMTP server that keeps what it receives, and its REST API
/// (GET /api/email) for tests to read the mail. Mail is kept in a temporary folder of its own, removed on dispose.
/// </summary>
/// <remarks>
/// maildev shuts itself down on any uncaught exception (its shutdown handler), and a host disposed by a test in the
/// middle of an SMTP conversation can cause one. The mail is persisted in its folder and maildev restores it at start,
/// so when the API stops answering because the process is gone, it is started again on the same ports and the read
/// repeated once; what the dead process printed is kept in <see cref="CrashReports"/> and written to the test output.
/// </remarks>
public sealed class MaildevProcess : IAsyncDisposable
{
    private readonly string _directory;
    private readonly SemaphoreSlim _restartGate = new(1, 1);
    private readonly List<string> _crashReports = [];
    private ExternalProcess _process;

    private MaildevProcess(ExternalProcess process, int smtpPort, int webPort, string directory)
    {
        _process = process;
        SmtpPort = smtpPort;
        WebPort = webPort;
        _directory = directory;
        Api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/api/") };
    }

    public ExternalProcess Process => _process;

    public int SmtpPort { get; }

    public int WebPort { get; }

    public HttpClient Api { get; }

    /// <summary>The output of each maildev process that died during the run (empty when none did).</summary>
    public IReadOnlyList<string> CrashReports
    {
        get
        {
            lock (_crashReports)
            {
                return [.. _crashReports];
            }
        }
    }

    public static async Task<MaildevProcess> StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            var smtp = FreeTcpPort.Next();
            var web = FreeTcpPort.Next();
            var directory = Directory.CreateTempSubdirectory("maildev-").FullName;
            var process = Launch(smtp, web, directory);
            try
            {
                await WaitUntilServingAsync(process, smtp, web);
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
        var all = await WithRestartAsync(() => Api.GetFromJsonAsync<ReceivedMail[]>("email", cancellationToken), cancellationToken) ?? [];
        return [.. all.Where(m => m.To.Any(t => string.Equals(t.Address, address, StringComparison.OrdinalIgnoreCase)))];
    }

    /// <summary>The raw message (headers such as Content-Language and Message-ID, which the summary leaves out).</summary>
    public Task<string> SourceAsync(string id, CancellationToken cancellationToken = default) =>
        WithRestartAsync(() => Api.GetStringAsync($"email/{Uri.EscapeDataString(id)}/source", cancellationToken), cancellationToken);

    public Task<byte[]> AttachmentAsync(string id, string fileName, CancellationToken cancellationToken = default) =>
        WithRestartAsync(() => Api.GetByteArrayAsync($"email/{Uri.EscapeDataString(id)}/attachment/{Uri.EscapeDataString(fileName)}", cancellationToken), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await _process.DisposeAsync();
        _restartGate.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleaning.
        }
    }

    private static ExternalProcess Launch(int smtp, int web, string directory)
    {
        var entry = Path.Combine(RepositoryPaths.NodeModules, "maildev", "dist", "bin", "maildev.js");
        if (!File.Exists(entry))
        {
            throw new InvalidOperationException($"maildev is not installed at {entry}: run 'npm ci' in the repository root.");
        }

        // Not --silent: when maildev dies, its last lines say why.
        return ExternalProcess.Start("maildev", "node",
        [
            entry, "--ip", "127.0.0.1", "--web-ip", "127.0.0.1", "--smtp", smtp.ToString(CultureInfo.InvariantCulture),
            "--web", web.ToString(CultureInfo.InvariantCulture), "--mail-directory", directory,
        ]);
    }

    private static async Task WaitUntilServingAsync(ExternalProcess process, int smtp, int web)
    {
        await FreeTcpPort.WaitUntilListeningAsync(smtp, TimeSpan.FromSeconds(30), () => process.HasExited);
        await FreeTcpPort.WaitUntilListeningAsync(web, TimeSpan.FromSeconds(30), () => process.HasExited);
    }

    private async Task<T> WithRestartAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read();
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            await RestartIfDeadAsync(ex, cancellationToken);
            return await read();
        }
    }

    private async Task RestartIfDeadAsync(HttpRequestException failure, CancellationToken cancellationToken)
    {
        await _restartGate.WaitAsync(cancellationToken);
        try
        {
            if (!_process.HasExited)
            {
                // Another reader restarted it already, or it is alive and refused for another reason: let the retry tell.
                return;
            }

            var report = $"maildev (pid {_process.Id}) exited with code {_process.ExitCode}; restarted on the same ports. Its output:{Environment.NewLine}{_process.Output}";
            lock (_crashReports)
            {
                _crashReports.Add(report);
            }

            await Console.Error.WriteLineAsync(report);
            await _process.DisposeAsync();
            _process = Launch(SmtpPort, WebPort, _directory);
            try
            {
                await WaitUntilServingAsync(_process, SmtpPort, WebPort);
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                throw new InvalidOperationException($"maildev died ({report}) and could not be started again: {_process.Output}", new AggregateException(failure, ex));
            }
        }
        finally
        {
            _restartGate.Release();
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
