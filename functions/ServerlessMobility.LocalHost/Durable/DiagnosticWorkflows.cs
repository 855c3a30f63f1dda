using Azure.Data.Tables;
using Microsoft.DurableTask;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Storage.AzureStorage;

namespace ServerlessMobility.LocalHost.Durable;

/// <summary>
/// Diagnostic orchestrations for the crash, two-host and benchmark runs, registered only with
/// Durable:RegisterSampleWorkflows=true. Not part of any product flow.
/// </summary>
public static class DiagnosticWorkflows
{
    public const string Sequence = "Diagnostics.Sequence";
    public const string FanOut = "Diagnostics.FanOut";
    public const string RecordSideEffect = "Diagnostics.RecordSideEffect";
    public const string Echo = "Diagnostics.Echo";

    /// <summary>The table where <see cref="RecordSideEffect"/> writes one row per execution (not per call).</summary>
    public const string SideEffectsTable = "DurableDiagnostics";

    public static IServiceCollection AddDiagnosticWorkflows(this IServiceCollection services)
    {
        services.AddOrchestrator<DiagnosticSequence>(Sequence);
        services.AddOrchestrator<DiagnosticFanOut>(FanOut);
        services.AddActivity<RecordSideEffectActivity>(RecordSideEffect);
        services.AddActivity<EchoActivity>(Echo);
        return services;
    }
}

public sealed record SequenceInput(int Activities, int TimerSeconds, bool RecordSideEffects);

public sealed record SideEffectInput(int Step);

/// <summary>Calls N activities one after the other, waits on a short durable timer halfway, and returns every result it used.</summary>
public sealed class DiagnosticSequence : TaskOrchestrator<SequenceInput, IReadOnlyList<string>>
{
    public override async Task<IReadOnlyList<string>> RunAsync(TaskOrchestrationContext context, SequenceInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var results = new List<string>();
        var activity = input.RecordSideEffects ? DiagnosticWorkflows.RecordSideEffect : DiagnosticWorkflows.Echo;
        for (var step = 0; step < input.Activities; step++)
        {
            results.Add(await context.CallActivityAsync<string>(activity, new SideEffectInput(step)));
            if (step == input.Activities / 2 && input.TimerSeconds > 0)
            {
                await context.CreateTimer(TimeSpan.FromSeconds(input.TimerSeconds), CancellationToken.None);
            }
        }

        return results;
    }
}

/// <summary>Calls N activities at once and waits for all of them (fan-out/fan-in).</summary>
public sealed class DiagnosticFanOut : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var calls = Enumerable.Range(0, input).Select(i => context.CallActivityAsync<string>(DiagnosticWorkflows.Echo, new SideEffectInput(i)));
        var results = await Task.WhenAll(calls);
        return results.Length;
    }
}

/// <summary>Records one row per execution (so at-least-once executions are visible) and returns a result naming the step.</summary>
public sealed class RecordSideEffectActivity(StorageClients storage) : TaskActivity<SideEffectInput, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, SideEffectInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var table = storage.GetTable(DiagnosticWorkflows.SideEffectsTable);
        await table.CreateIfNotExistsAsync();
        await table.AddEntityAsync(new TableEntity(context.InstanceId, $"{input.Step:D3}_{Guid.NewGuid():N}") { ["Step"] = input.Step });
        return $"{context.InstanceId}/{input.Step}";
    }
}

/// <summary>Returns a result naming the step; no side effect (for throughput measurements).</summary>
public sealed class EchoActivity : TaskActivity<SideEffectInput, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, SideEffectInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return Task.FromResult($"{context.InstanceId}/{input.Step}");
    }
}
