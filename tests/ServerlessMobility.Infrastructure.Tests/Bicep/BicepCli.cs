using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace ServerlessMobility.Infrastructure.Tests.Bicep;

/// <summary>
/// Runs the bicep CLI that scripts/bicep.sh uses (NuGet package Azure.Bicep.CommandLine.linux-x64; the
/// build bakes its path into this assembly). BICEP_PATH overrides it, for example with `az bicep`'s copy.
/// </summary>
internal static class BicepCli
{
    public static string Executable
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("BICEP_PATH");
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return fromEnvironment;
            }

            var fromPackage = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "BicepPath")?.Value;
            if (string.IsNullOrEmpty(fromPackage) || !File.Exists(fromPackage))
            {
                throw new InvalidOperationException($"The bicep CLI was not found at '{fromPackage}'. Restore this project on linux-x64 or set BICEP_PATH.");
            }

            if (!OperatingSystem.IsWindows())
            {
                // NuGet extracts the package without the executable bit.
                File.SetUnixFileMode(fromPackage, File.GetUnixFileMode(fromPackage) | UnixFileMode.UserExecute);
            }

            return fromPackage;
        }
    }

    /// <summary>`bicep build file --stdout`: the ARM template.</summary>
    public static JsonObject Build(string bicepFile) => Run("build", bicepFile);

    /// <summary>`bicep build-params file --stdout`: the deployment parameters.</summary>
    public static JsonObject BuildParams(string bicepParamFile) => Run("build-params", bicepParamFile);

    private static JsonObject Run(string command, string file)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(file);
        start.ArgumentList.Add("--stdout");
        start.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {command} {file} did not finish in 2 minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep {command} {file} failed ({process.ExitCode}):\n{stderr.Result}");
        }

        var output = JsonNode.Parse(stdout.Result) as JsonObject
            ?? throw new InvalidOperationException($"bicep {command} {file} wrote no JSON object.");
        if (command == "build-params")
        {
            // --stdout wraps the result: { "parametersJson": "...", "templateJson": ... }.
            var parameters = output["parametersJson"]?.GetValue<string>();
            if (parameters is not null)
            {
                output = JsonNode.Parse(parameters) as JsonObject ?? output;
            }
        }

        return output;
    }
}
