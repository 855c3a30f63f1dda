using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.Durable.Tests;

/// <summary>Workflows and activities for the conformance suite; activity executions are counted per instance.</summary>
internal static class TestWorkflows
{
    public static ConcurrentDictionary<string, int> Executions { get; } = new();

    public static int CountOf(string instanceId, string key) => Executions.GetValueOrDefault($"{instanceId}|{key}");

    public static void Register(IServiceCollection services)
    {
        services.AddWorkflow<SequenceWorkflow>("Test.Sequence");
        services.AddWorkflow<RetryWorkflow>("Test.Retry");
        services.AddWorkflow<LongTimerWorkflow>("Test.LongTimer");
        services.AddWorkflow<ApprovalWorkflow>("Test.Approval");
        services.AddWorkflow<ParentWorkflow>("Test.Parent");
        services.AddWorkflow<ChildWorkflow>("Test.Child");
        services.AddWorkflow<CounterWorkflow>("Test.Counter");
        services.AddWorkflow<DriftingWorkflow>("Test.Drifting");
        services.AddWorkflow<EchoWorkflow>("Test.Echo");
        services.AddWorkflow<CatchingWorkflow>("Test.Catching");
        services.AddWorkflow<ThrowingWorkflow>("Test.Throwing");
        services.AddWorkflow<StatusWorkflow>("Test.Status");
        services.AddWorkflowActivity<CountActivity>("Test.Count");
        services.AddWorkflowActivity<FlakyActivity>("Test.Flaky");
        services.AddWorkflowActivity<FailingActivity>("Test.Failing");
        services.AddWorkflowActivity<EchoActivity>("Test.EchoActivity");
    }

    public static int Increment(string instanceId, string key) => Executions.AddOrUpdate($"{instanceId}|{key}", 1, (_, n) => n + 1);
}

internal sealed class SequenceWorkflow : Workflow<int, int>
{
    public override async Task<int> RunAsync(IWorkflowContext context, int input)
    {
        var sum = 0;
        for (var i = 1; i <= input; i++)
        {
            sum += await context.CallActivityAsync<int>("Test.Count", i);
        }

        return sum;
    }
}

internal sealed class CountActivity : WorkflowActivity<int, int>
{
    public override Task<int> RunAsync(ActivityContext context, int input, CancellationToken cancellationToken)
    {
        TestWorkflows.Increment(context.InstanceId, $"count-{input}");
        return Task.FromResult(input * 10);
    }
}

internal sealed class RetryWorkflow : Workflow<int, string>
{
    public override Task<string> RunAsync(IWorkflowContext context, int input) =>
        context.CallActivityAsync<string>("Test.Flaky", input, new RetryPolicy(4, TimeSpan.FromMinutes(10), backoffCoefficient: 2));
}

/// <summary>Fails until it has been called <c>input</c> times.</summary>
internal sealed class FlakyActivity : WorkflowActivity<int, string>
{
    public override Task<string> RunAsync(ActivityContext context, int input, CancellationToken cancellationToken)
    {
        var attempt = TestWorkflows.Increment(context.InstanceId, "flaky");
        if (attempt < input)
        {
            throw new InvalidOperationException($"Attempt {attempt} fails.");
        }

        return Task.FromResult($"succeeded on attempt {attempt}");
    }
}

internal sealed class LongTimerWorkflow : Workflow<int, DateTimeOffset>
{
    public override async Task<DateTimeOffset> RunAsync(IWorkflowContext context, int input)
    {
        await context.CreateTimer(context.CurrentUtcDateTime.AddDays(input), CancellationToken.None);
        return context.CurrentUtcDateTime;
    }
}

internal sealed class ApprovalWorkflow : Workflow<int, string>
{
    public override async Task<string> RunAsync(IWorkflowContext context, int input)
    {
        try
        {
            var approver = await context.WaitForExternalEvent<string>("Approval", input > 0 ? TimeSpan.FromHours(input) : null);
            return "approved by " + approver;
        }
        catch (WorkflowEventTimeoutException ex)
        {
            return "timed out waiting for " + ex.EventName;
        }
    }
}

internal sealed class ParentWorkflow : Workflow<int, string>
{
    public override async Task<string> RunAsync(IWorkflowContext context, int input)
    {
        var doubled = await context.CallSubWorkflowAsync<int>("Test.Child", input);
        try
        {
            await context.CallSubWorkflowAsync<int>("Test.Child", -1, context.InstanceId + "-failing-child");
            return $"{doubled}, no failure";
        }
        catch (WorkflowTaskFailedException ex)
        {
            return $"{doubled}, child failed: {ex.FailureDetails.ErrorMessage}";
        }
    }
}

internal sealed class ChildWorkflow : Workflow<int, int>
{
    public override Task<int> RunAsync(IWorkflowContext context, int input) =>
        input < 0 ? throw new ArgumentOutOfRangeException(nameof(input), "negative input") : Task.FromResult(input * 2);
}

internal sealed class CounterWorkflow : Workflow<int, int>
{
    public override async Task<int> RunAsync(IWorkflowContext context, int input)
    {
        await context.CallActivityAsync<int>("Test.Count", input);
        if (input < 3)
        {
            context.ContinueAsNew(input + 1);
        }

        return input;
    }
}

/// <summary>Calls a different activity once <see cref="Drift"/> is set: a code change between replays.</summary>
internal sealed class DriftingWorkflow : Workflow<int, string>
{
    public static ConcurrentDictionary<string, bool> Drift { get; } = new();

    public override async Task<string> RunAsync(IWorkflowContext context, int input)
    {
        var activity = Drift.ContainsKey(context.InstanceId) ? "Test.EchoActivity" : "Test.Count";
        await context.CallActivityAsync<object>(activity, input);
        await context.WaitForExternalEvent<string>("Go");
        return "done";
    }
}

internal sealed class EchoWorkflow : Workflow<string, string>
{
    public override async Task<string> RunAsync(IWorkflowContext context, string input)
    {
        var echoed = await context.CallActivityAsync<string>("Test.EchoActivity", input);
        return echoed;
    }
}

internal sealed class EchoActivity : WorkflowActivity<object, object>
{
    public override Task<object> RunAsync(ActivityContext context, object input, CancellationToken cancellationToken) => Task.FromResult(input);
}

internal sealed class CatchingWorkflow : Workflow<int, string>
{
    public override async Task<string> RunAsync(IWorkflowContext context, int input)
    {
        try
        {
            await context.CallActivityAsync("Test.Failing", input);
            return "no failure";
        }
        catch (WorkflowTaskFailedException ex)
        {
            return $"{ex.TaskName} failed: {ex.FailureDetails.ErrorType}: {ex.FailureDetails.ErrorMessage}";
        }
    }
}

internal sealed class FailingActivity : WorkflowActivity<int, Unit>
{
    public override Task<Unit> RunAsync(ActivityContext context, int input, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"Payment {input} was declined.");
}

internal sealed class ThrowingWorkflow : Workflow<int, int>
{
    public override async Task<int> RunAsync(IWorkflowContext context, int input)
    {
        await context.CallActivityAsync<int>("Test.Count", input);
        throw new InvalidOperationException("The order is in an impossible state.");
    }
}

internal sealed class StatusWorkflow : Workflow<int, string>
{
    public override async Task<string> RunAsync(IWorkflowContext context, int input)
    {
        context.SetCustomStatus(new { stage = "waiting", guid = context.NewGuid() });
        var payload = await context.WaitForExternalEvent<string>("Go");
        context.SetCustomStatus(new { stage = "done" });
        return payload;
    }
}
