using System.Net;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Testing;
using ServerlessMobility.Workshop.Approval;
using ServerlessMobility.Workshop.Jobs;
using ServerlessMobility.Workshop.Notifications;

namespace ServerlessMobility.Workshop.Tests.Http;

/// <summary>
/// The approval workflow (WorkshopAwaitApproval) on the real Durable Task framework over Azurite, with the owner's
/// messages recorded by the shared notifications capability (its delivery records; SMS goes to the local sink). Waits
/// are seconds of the real clock; the module's clock stays on the fake Monday, so no message waits for quiet hours.
/// </summary>
public class ApprovalWorkflowTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OwnerNeverAnswers_RemindedEveryInterval_ThenTheEstimateExpiresAndTheLinkSaysSo()
    {
        // Reminders 3, 6 and 9 seconds after the link was sent; the estimate expires at 10.
        await using var host = WorkshopHost.Start(emulators, reminderInterval: TimeSpan.FromSeconds(3), approvalExpiry: TimeSpan.FromSeconds(10));
        await host.SetUpWorkshopAsync();
        var ownerId = await ReachableOwnerAsync(host);
        var (jobId, link) = await host.DriveToLinkSentAsync(ownerId, "bay-1", WorkshopHost.TuesdayEight);

        var outcome = await WaitForWorkflowAsync(host, jobId, version: 1);
        Assert.Equal("\"expired\"", outcome.SerializedOutput);

        Assert.Equal(DeliveryStatus.Sent, (await SmsAsync(host, jobId, "v1:estimate-ready")).Status);
        foreach (var reminder in new[] { "v1:reminder-1", "v1:reminder-2", "v1:reminder-3" })
        {
            var sms = await SmsAsync(host, jobId, reminder);
            Assert.Equal((WorkshopNoticeKinds.EstimateReminder, DeliveryStatus.Sent), (sms.Kind, sms.Status));
            Assert.Contains("/api/workshop/approvals?", sms.EventJson, StringComparison.Ordinal);
        }

        Assert.Empty(await Deliveries(host).ListForEventAsync(host.Tenant, WorkshopOwnerNotifier.EventIdFor(jobId, "v1:reminder-4"), Ct));

        // The job waits for a revised estimate; the owner's link answers what happened, for reading and for deciding.
        var job = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/jobs/{jobId}", host.Staff);
        Assert.Equal(nameof(JobStatus.Estimated), job.GetProperty("status").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, job.GetProperty("estimate").GetProperty("expiredAt").ValueKind);
        foreach (var (method, body) in new[] { (HttpMethod.Get, (object?)null), (HttpMethod.Post, WorkshopHost.WipersDeclined()) })
        {
            var problem = await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, method, link, null, body);
            Assert.Equal(ServiceJob.EstimateExpiredRule, problem.GetProperty("rule").GetString());
        }

        // A new link for the expired estimate is refused too: staff revise it, and the revision's link works.
        await host.ExpectAsync(HttpStatusCode.UnprocessableEntity, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/approval-links", host.Staff);
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/workshop/jobs/{jobId}/estimate", host.Staff, WorkshopHost.Estimate());
        var revised = (await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/approval-links", host.Staff)).GetProperty("url").GetString()!;
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, revised, null, WorkshopHost.WipersDeclined());
    }

    [Fact]
    public async Task OwnerAnswersAfterTheFirstReminder_WorkflowCompletesAndRemindsNoMore()
    {
        // A reminder every 5 seconds: the owner answers after the first, long before the second would go.
        await using var host = WorkshopHost.Start(emulators, reminderInterval: TimeSpan.FromSeconds(5), approvalExpiry: TimeSpan.FromSeconds(30));
        await host.SetUpWorkshopAsync();
        var ownerId = await ReachableOwnerAsync(host);
        var (jobId, link) = await host.DriveToLinkSentAsync(ownerId, "bay-1", WorkshopHost.TuesdayEight);

        await SmsAsync(host, jobId, "v1:estimate-ready");
        await SmsAsync(host, jobId, "v1:reminder-1");
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, link, null, WorkshopHost.WipersDeclined());

        var outcome = await WaitForWorkflowAsync(host, jobId, version: 1);
        Assert.Equal("\"decided\"", outcome.SerializedOutput);
        Assert.Equal(WorkshopNoticeKinds.ApprovalRecorded, (await SmsAsync(host, jobId, "v1:decided")).Kind);

        // Past the second reminder's time: none went, and the decided job is untouched by the finished wait.
        await Task.Delay(TimeSpan.FromSeconds(6), Ct);
        Assert.Empty(await Deliveries(host).ListForEventAsync(host.Tenant, WorkshopOwnerNotifier.EventIdFor(jobId, "v1:reminder-2"), Ct));
        var job = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/jobs/{jobId}", host.Staff);
        Assert.Equal(nameof(JobStatus.InProgress), job.GetProperty("status").GetString());
    }

    [Fact]
    public async Task RevisedWhileWaiting_TheOldWaitEndsAndTheRevisionStartsItsOwn()
    {
        await using var host = WorkshopHost.Start(emulators, reminderInterval: TimeSpan.FromSeconds(20), approvalExpiry: TimeSpan.FromSeconds(60));
        await host.SetUpWorkshopAsync();
        var ownerId = await ReachableOwnerAsync(host);
        var (jobId, _) = await host.DriveToLinkSentAsync(ownerId, "bay-1", WorkshopHost.TuesdayEight);
        await SmsAsync(host, jobId, "v1:estimate-ready");

        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/workshop/jobs/{jobId}/estimate", host.Staff, WorkshopHost.Estimate());

        Assert.Equal("\"revised\"", (await WaitForWorkflowAsync(host, jobId, version: 1)).SerializedOutput);
        await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/approval-links", host.Staff);
        Assert.Equal(WorkshopNoticeKinds.EstimateReady, (await SmsAsync(host, jobId, "v2:estimate-ready")).Kind);
    }

    private static Task<string> ReachableOwnerAsync(WorkshopHost host) => host.ReachableOwnerAsync();

    private static INotificationDeliveryStore Deliveries(WorkshopHost host) => host.Factory.Services.GetRequiredService<INotificationDeliveryStore>();

    private static async Task<NotificationDelivery> SmsAsync(WorkshopHost host, string jobId, string fact)
    {
        var eventId = WorkshopOwnerNotifier.EventIdFor(jobId, fact);
        var found = await Eventually.UntilAsync(() => Deliveries(host).ListForEventAsync(host.Tenant, eventId, Ct),
            list => list.Any(d => d.Channel == NotificationChannel.Sms && d.Status == DeliveryStatus.Sent), $"SMS {eventId} sent");
        return found.Single(d => d.Channel == NotificationChannel.Sms);
    }

    private static async Task<OrchestrationMetadata> WaitForWorkflowAsync(WorkshopHost host, string jobId, int version)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        var instance = await host.Factory.Services.GetRequiredService<DurableTaskClient>()
            .WaitForInstanceCompletionAsync(ApprovalWorkflow.InstanceIdFor(host.Tenant, jobId, version), getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        return instance;
    }
}
