using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Workshop.Billing;
using ServerlessMobility.Workshop.Jobs;
using ServerlessMobility.Workshop.Notifications;
using ServerlessMobility.Workshop.Storage;

namespace ServerlessMobility.Workshop.Approval;

/// <param name="ApiOrigin">Scheme and host the owner's links point at (the origin of the request that sent the first link); the links themselves are signed in the activities, so no signature is kept in the workflow's history.</param>
public sealed record ApprovalWaitInput(string TenantId, string JobId, int EstimateVersion, string ApiOrigin);

/// <param name="Reminder">0 for the first message (the estimate is ready), then 1, 2, ... for the reminders.</param>
/// <param name="DecideBy">When the estimate expires undecided, as the message tells the owner.</param>
public sealed record OwnerNoticeRequest(ApprovalWaitInput Wait, int Reminder, DateTimeOffset DecideBy);

/// <summary>
/// Waits for the owner's decision on one version of a job's estimate: sends the owner the link, reminds them every
/// <see cref="ApprovalWorkflowOptions.ReminderInterval"/> and, when <see cref="ApprovalWorkflowOptions.Expiry"/> has passed
/// undecided, expires the estimate (the job goes back to Estimated and the link answers the expired-estimate problem).
/// The approval endpoint and a revision of the estimate raise <see cref="EstimateSettledEvent"/>, which ends the wait at
/// once; every activity also reads the job, so a settle event that got lost sends no reminder and expires nothing.
/// Time comes from the context and waits from the options only, so the replay is deterministic.
/// </summary>
public sealed class ApprovalWorkflow(IOptions<WorkshopOptions> options) : TaskOrchestrator<ApprovalWaitInput, string>
{
    public const string Name = "WorkshopAwaitApproval";

    /// <summary>Raised when the estimate was decided or revised: the payload says which ("decided", "revised").</summary>
    public const string EstimateSettledEvent = "WorkshopEstimateSettled";

    /// <summary>One instance per estimate version: a revised estimate's new link starts a new wait.</summary>
    public static string InstanceIdFor(string tenantId, string jobId, int estimateVersion) =>
        WorkflowInstanceIds.For(tenantId, "ws-approval", $"{jobId}-v{estimateVersion}");

    public override async Task<string> RunAsync(TaskOrchestrationContext context, ApprovalWaitInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var policy = options.Value.Approval;
        var retry = OrchestrationContextExtensions.ActivityRetry(policy.ActivityRetryInterval);
        var sentAt = context.UtcNow();
        var expiresAt = sentAt + policy.Expiry;

        if (!await context.CallActivityAsync<bool>(NotifyOwnerActivity.Name, new OwnerNoticeRequest(input, 0, expiresAt), retry))
        {
            return "settled";
        }

        var reminder = 0;
        foreach (var offset in ApprovalSchedule.ReminderOffsets(policy))
        {
            context.SetCustomStatus(new { state = "awaiting-decision", remindersSent = reminder, expiresAt });
            var settled = await context.WaitForExternalEventUntilAsync<string>(EstimateSettledEvent, sentAt + offset);
            if (settled.Received)
            {
                return settled.Payload ?? "settled";
            }

            reminder++;
            if (!await context.CallActivityAsync<bool>(NotifyOwnerActivity.Name, new OwnerNoticeRequest(input, reminder, expiresAt), retry))
            {
                return "settled";
            }
        }

        context.SetCustomStatus(new { state = "awaiting-decision", remindersSent = reminder, expiresAt });
        var last = await context.WaitForExternalEventUntilAsync<string>(EstimateSettledEvent, expiresAt);
        if (last.Received)
        {
            return last.Payload ?? "settled";
        }

        return await context.CallActivityAsync<bool>(ExpireEstimateActivity.Name, input, retry) ? "expired" : "settled";
    }
}

/// <summary>
/// Sends the owner the estimate's link (first message) or a reminder with a freshly signed link, only while the job
/// still awaits a decision on that estimate version.
/// </summary>
/// <returns>false when nothing waits any more (decided, revised or expired): the workflow ends.</returns>
public sealed class NotifyOwnerActivity(ITenantRepository<ServiceJob> jobs, ApprovalLinks links, WorkshopOwnerNotifier notifier) : TaskActivity<OwnerNoticeRequest, bool>
{
    public const string Name = "WorkshopNotifyOwner";

    public override async Task<bool> RunAsync(TaskActivityContext context, OwnerNoticeRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var wait = input.Wait;
        var job = (await jobs.GetAsync(wait.TenantId, wait.JobId, CancellationToken.None))?.Value;
        if (job is null || !ApprovalLinks.Awaits(job, wait.EstimateVersion))
        {
            return false;
        }

        var url = ApprovalLinks.UrlFor(new Uri(wait.ApiOrigin), links.Create(job.TenantId, job.Id, wait.EstimateVersion));
        if (input.Reminder == 0)
        {
            await notifier.EstimateReadyAsync(job, url, input.DecideBy, CancellationToken.None);
        }
        else
        {
            await notifier.ReminderAsync(job, input.Reminder, url, input.DecideBy, CancellationToken.None);
        }

        return true;
    }
}

/// <summary>Marks the estimate expired when the owner never decided (idempotent: an estimate expired before stays expired).</summary>
/// <returns>true when the estimate version is expired; false when it was decided or revised first.</returns>
public sealed class ExpireEstimateActivity(ITenantRepository<ServiceJob> jobs, TimeProvider time) : TaskActivity<ApprovalWaitInput, bool>
{
    public const string Name = "WorkshopExpireEstimate";

    public override async Task<bool> RunAsync(TaskActivityContext context, ApprovalWaitInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (_, expired) = await jobs.UpdateAsync(input.TenantId, input.JobId, j => j.ExpireEstimate(input.EstimateVersion, time.GetUtcNow()), "Job",
            CancellationToken.None);
        return expired;
    }
}
