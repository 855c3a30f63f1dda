using System.Collections.Concurrent;
using System.Diagnostics;

namespace ServerlessMobility.Testing;

/// <summary>
/// A child process (Azurite, the Cosmos server, a local host) whose output is kept for diagnostics and
/// which is killed, with its children, when disposed or when the test process exits.
/// </summary>
public sealed class ExternalProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    static ExternalProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var process in Running.Values)
            {
                TryKill(process);
            }
        };
    }

    private ExternalProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>The exit code; only once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// Waits until the process prints a line containing <paramref name="marker"/>: true then, false when it exits or the
    /// time runs out first. A server that names its own port when it listens proves the port is its own, where a
    /// connection test would also succeed against another process that bound the port first.
    /// </summary>
    public async Task<bool> WaitForOutputAsync(string marker, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_output.Any(line => line.Contains(marker, StringComparison.Ordinal)))
        {
            if (_process.HasExited || DateTime.UtcNow >= deadline)
            {
                // The last lines may still be on their way from the pipe.
                await Task.Delay(100);
                return _output.Any(line => line.Contains(marker, StringComparison.Ordinal));
            }

            await Task.Delay(50);
        }

        return true;
    }

    /// <summary>Waits until the process ends by itself (a script that runs to its end).</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public static ExternalProcess Start(string name, string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IDictionary<string, string?>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                startInfo.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var wrapper = new ExternalProcess(process, name);
        process.OutputDataReceived += (_, e) => wrapper.Append(e.Data);
        process.ErrorDataReceived += (_, e) => wrapper.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start {name} ({fileName}).");
        }

        Running[process.Id] = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>
    /// Starts a server on a free loopback port and waits until it prints the line that says it listens on that port; when
    /// it does not (the port was taken between the pick and the bind, or the server failed), it is stopped and started again
    /// on another port, up to <paramref name="attempts"/> times, then the last output is thrown.
    /// </summary>
    /// <param name="arguments">The command line for a given port.</param>
    /// <param name="listening">The line, for a given port, that the server prints once it listens there.</param>
    /// <param name="port">A port chosen by the caller (one attempt only); a free one when null.</param>
    public static async Task<(ExternalProcess Process, int Port)> StartListeningAsync(
        string name,
        string fileName,
        Func<int, IEnumerable<string>> arguments,
        Func<int, string> listening,
        TimeSpan timeout,
        int attempts = 3,
        int? port = null,
        string? workingDirectory = null,
        Func<int, IDictionary<string, string?>>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(listening);
        var allowed = port is null ? attempts : 1;
        for (var attempt = 1; ; attempt++)
        {
            var candidate = port ?? FreeTcpPort.Next();
            var process = Start(name, fileName, arguments(candidate), workingDirectory, environment?.Invoke(candidate));
            if (await process.WaitForOutputAsync(listening(candidate), timeout))
            {
                return (process, candidate);
            }

            var output = process.Output;
            await process.DisposeAsync();
            if (attempt >= allowed)
            {
                throw new InvalidOperationException($"{name} did not start on port {candidate} (attempt {attempt}): {output}");
            }
        }
    }

    /// <summary>Kills the process at once (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        TryKill(_process);
        await _process.WaitForExitAsync();
        Running.TryRemove(_process.Id, out _);
    }

    /// <summary>
    /// Asks the process to stop (SIGTERM) and waits for it, killing it after the grace period. True when
    /// it stopped by itself within the grace period.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return true;
        }

        using (var signal = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        var stoppedByItself = true;
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            stoppedByItself = false;
            TryKill(_process);
            await _process.WaitForExitAsync();
        }

        Running.TryRemove(_process.Id, out _);
        return stoppedByItself;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 2000 && _output.TryDequeue(out _))
        {
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
