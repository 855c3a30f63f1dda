using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.Durable.Tests;

/// <summary>
/// Orchestrators and activities written against the SDK's programming model, as the platform's workflows are.
/// Activities count their executions per instance (tests run in the host's process), so a test can tell a
/// replay, which must not run an activity again, from a retry, which must.
/// </summary>
internal static class TestOrchestrations
{
    public const string Sequence = "Test.Sequence";
    public const string Retrying = "Test.Retrying";
    public const string Throwing = "Test.Throwing";
    public const string Timer = "Test.Timer";
    public const string Approval = "Test.Approval";
    public const string Parent = "Test.Parent";
    public const string Child = "Test.Child";
    public const string Counter = "Test.Counter";
    public const string Echo = "Test.Echo";
    public const string CallsMissingActivity = "Test.CallsMissingActivity";

    public const string Count = "Test.Count";
    public const string Flaky = "Test.Flaky";
    public const string EchoActivity = "Test.EchoActivity";

    /// <summary>The event <see cref="ApprovalOrchestrator"/> waits for.</summary>
    public const string ApprovalEvent = "Approval";

    private static readonly ConcurrentDictionary<string, ConcurrentQueue<TimeSpan>> Executions = new(StringComparer.Ordinal);
    private static readonly Stopwatch Clock = Stopwatch.StartNew();

    public static void Register(IServiceCollection services)
    {
        services.AddOrchestrator<SequenceOrchestrator>(Sequence);
        services.AddOrchestrator<RetryingOrchestrator>(Retrying);
        services.AddOrchestrator<ThrowingOrchestrator>(Throwing);
        services.AddOrchestrator<TimerOrchestrator>(Timer);
        services.AddOrchestrator<ApprovalOrchestrator>(Approval);
        services.AddOrchestrator<ParentOrchestrator>(Parent);
        services.AddOrchestrator<ChildOrchestrator>(Child);
        services.AddOrchestrator<CounterOrchestrator>(Counter);
        services.AddOrchestrator<EchoOrchestrator>(Echo);
        services.AddOrchestrator<CallsMissingActivityOrchestrator>(CallsMissingActivity);
        services.AddActivity<CountActivity>(Count);
        services.AddActivity<FlakyActivity>(Flaky);
        services.AddActivity<EchoActivity>(EchoActivity);
    }

    /// <summary>How often an activity ran for an instance under <paramref name="key"/>.</summary>
    public static int CountOf(string instanceId, string key) => TimesOf(instanceId, key).Count;

    /// <summary>When each execution started, on a monotonic clock, oldest first.</summary>
    public static IReadOnlyList<TimeSpan> TimesOf(string instanceId, string key) =>
        Executions.TryGetValue($"{instanceId}|{key}", out var times) ? [.. times] : [];

    /// <summary>Records an execution and returns how many there were, this one included.</summary>
    public static int Record(string instanceId, string key)
    {
        var times = Executions.GetOrAdd($"{instanceId}|{key}", _ => new ConcurrentQueue<TimeSpan>());
        times.Enqueue(Clock.Elapsed);
        return times.Count;
    }
}

/// <summary>Calls <see cref="TestOrchestrations.Count"/> for 1..n one after the other and sums the results (10 × i each).</summary>
internal sealed class SequenceOrchestrator : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var sum = 0;
        for (var i = 1; i <= input; i++)
        {
            sum += await context.CallActivityAsync<int>(TestOrchestrations.Count, i);
        }

        return sum;
    }
}

internal sealed class CountActivity : TaskActivity<int, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        TestOrchestrations.Record(context.InstanceId, $"count-{input}");
        return Task.FromResult(input * 10);
    }
}

/// <param name="SucceedOnAttempt">The attempt of <see cref="FlakyActivity"/> that succeeds; the ones before throw.</param>
/// <param name="MaxAttempts">The retry policy's attempts, the first included.</param>
/// <param name="FirstRetryMilliseconds">The wait before the first retry; each next one doubles.</param>
internal sealed record RetryInput(int SucceedOnAttempt, int MaxAttempts, int FirstRetryMilliseconds);

/// <summary>Calls <see cref="FlakyActivity"/> under an exponential retry policy and reports how the call ended.</summary>
internal sealed class RetryingOrchestrator : TaskOrchestrator<RetryInput, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, RetryInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var policy = new RetryPolicy(input.MaxAttempts, TimeSpan.FromMilliseconds(input.FirstRetryMilliseconds), backoffCoefficient: 2);
        try
        {
            return await context.CallActivityAsync<string>(TestOrchestrations.Flaky, input.SucceedOnAttempt, policy.Retry());
        }
        catch (TaskFailedException ex)
        {
            return $"{ex.TaskName} failed: {ex.FailureDetails.ErrorType}: {ex.FailureDetails.ErrorMessage}";
        }
    }
}

/// <summary>Throws until it has been called <c>input</c> times for the instance.</summary>
internal sealed class FlakyActivity : TaskActivity<int, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var attempt = TestOrchestrations.Record(context.InstanceId, "flaky");
        return attempt < input
            ? throw new InvalidOperationException($"Attempt {attempt} fails.")
            : Task.FromResult($"succeeded on attempt {attempt}");
    }
}

/// <summary>Runs one activity, then fails with an exception of its own.</summary>
internal sealed class ThrowingOrchestrator : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.CallActivityAsync<int>(TestOrchestrations.Count, input);
        throw new InvalidOperationException("The order is in an impossible state.");
    }
}

internal sealed record TimerResult(DateTime StartedAt, DateTime FiredAt);

/// <summary>Waits on a durable timer of <c>input</c> milliseconds and reports the orchestration time before and after.</summary>
internal sealed class TimerOrchestrator : TaskOrchestrator<int, TimerResult>
{
    public override async Task<TimerResult> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var started = context.CurrentUtcDateTime;
        await context.CreateTimer(TimeSpan.FromMilliseconds(input), CancellationToken.None);
        return new TimerResult(started, context.CurrentUtcDateTime);
    }
}

internal sealed record ApprovalStatus(string Stage, string? Approver);

/// <summary>
/// Waits for the <see cref="TestOrchestrations.ApprovalEvent"/> (for <c>input</c> seconds, or without end when
/// 0), saying so in its custom status, and returns who approved or that it timed out.
/// </summary>
internal sealed class ApprovalOrchestrator : TaskOrchestrator<int, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.SetCustomStatus(new ApprovalStatus("waiting", null));
        try
        {
            var approver = input > 0
                ? await context.WaitForExternalEvent<string>(TestOrchestrations.ApprovalEvent, TimeSpan.FromSeconds(input))
                : await context.WaitForExternalEvent<string>(TestOrchestrations.ApprovalEvent);
            context.SetCustomStatus(new ApprovalStatus("approved", approver));
            return "approved by " + approver;
        }
        catch (TaskCanceledException)
        {
            context.SetCustomStatus(new ApprovalStatus("timed out", null));
            return "timed out";
        }
    }
}

/// <summary>Calls <see cref="ChildOrchestrator"/> once to succeed and once to fail, each under an id derived from its own.</summary>
internal sealed class ParentOrchestrator : TaskOrchestrator<int, string>
{
    public static string GoodChildId(string parentId) => parentId + "-good-child";

    public static string FailingChildId(string parentId) => parentId + "-failing-child";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        var doubled = await context.CallSubOrchestratorAsync<int>(TestOrchestrations.Child, input,
            new SubOrchestrationOptions(instanceId: GoodChildId(context.InstanceId)));
        try
        {
            await context.CallSubOrchestratorAsync<int>(TestOrchestrations.Child, -1, new SubOrchestrationOptions(instanceId: FailingChildId(context.InstanceId)));
            return $"{doubled}, no failure";
        }
        catch (TaskFailedException ex)
        {
            return $"{doubled}, {ex.TaskName} failed: {ex.FailureDetails.ErrorType}: {ex.FailureDetails.ErrorMessage}";
        }
    }
}

internal sealed class ChildOrchestrator : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegative(input);
        return await context.CallActivityAsync<int>(TestOrchestrations.Count, input) / 5;
    }
}

/// <summary>Counts from its input to 3, one activity per execution, continuing as new in between.</summary>
internal sealed class CounterOrchestrator : TaskOrchestrator<int, int>
{
    public override async Task<int> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.CallActivityAsync<int>(TestOrchestrations.Count, input);
        if (input < 3)
        {
            context.ContinueAsNew(input + 1);
        }

        return input;
    }
}

/// <summary>Sends its input through an activity and back.</summary>
internal sealed class EchoOrchestrator : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.CallActivityAsync<string>(TestOrchestrations.EchoActivity, input);
    }
}

internal sealed class EchoActivity : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string input) => Task.FromResult(input);
}

/// <summary>Calls an activity that no host registers, and reports how the call failed.</summary>
internal sealed class CallsMissingActivityOrchestrator : TaskOrchestrator<int, string>
{
    public const string MissingActivity = "Test.NotRegisteredActivity";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, int input)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.CallActivityAsync<int>(MissingActivity, input);
            return "called";
        }
        catch (TaskFailedException ex)
        {
            return $"{ex.FailureDetails.ErrorType}: {ex.FailureDetails.ErrorMessage}";
        }
    }
}
