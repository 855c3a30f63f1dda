using System.Globalization;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Workshop.Jobs;

namespace ServerlessMobility.Workshop.Notifications;

/// <summary>
/// The kinds of the workshop's messages to the vehicle's owner; each has its own template in every language of the
/// notifications capability (Platform/Notifications/Templates), filled from the data fields the notifier passes.
/// </summary>
public static class WorkshopNoticeKinds
{
    public const string EstimateReady = "workshop-estimate-ready";
    public const string EstimateReminder = "workshop-estimate-reminder";
    public const string ApprovalRecorded = "workshop-approval-recorded";
    public const string JobCompleted = "workshop-job-completed";
    public const string InvoiceReady = "workshop-invoice-ready";
    public const string BookingReminder = "workshop-booking-reminder";
}

/// <summary>
/// The workshop's messages to the owner through the shared notifications capability. The workshop knows the owner only
/// as the booking's customer id: the contact details and language are the ones the owner saved in their notification
/// preferences, and the capability renders the kind's template in that language from the values passed here (amounts
/// and times as shown in every language, never words). Each message's event id is made from the job and the fact it
/// tells (<c>workshop:{job}:{fact}</c>), so a retried request or activity sends nothing twice.
/// </summary>
public sealed class WorkshopOwnerNotifier(INotifications notifications)
{
    public Task EstimateReadyAsync(ServiceJob job, Uri link, DateTimeOffset decideBy, CancellationToken cancellationToken) =>
        SendAsync(job, WorkshopNoticeKinds.EstimateReady, $"v{Version(job)}:estimate-ready", EstimateData(job, link, decideBy), null, cancellationToken);

    public Task ReminderAsync(ServiceJob job, int reminder, Uri link, DateTimeOffset decideBy, CancellationToken cancellationToken) =>
        SendAsync(job, WorkshopNoticeKinds.EstimateReminder, string.Create(CultureInfo.InvariantCulture, $"v{Version(job)}:reminder-{reminder}"),
            EstimateData(job, link, decideBy), null, cancellationToken);

    public Task ApprovalRecordedAsync(ServiceJob job, CancellationToken cancellationToken)
    {
        var approved = job.Approval?.Decisions.Count(d => d.Approved) ?? 0;
        var lines = job.Approval?.Decisions.Count ?? 0;
        return SendAsync(job, WorkshopNoticeKinds.ApprovalRecorded, $"v{Version(job)}:decided", new(StringComparer.Ordinal)
        {
            ["approved_lines"] = approved.ToString(CultureInfo.InvariantCulture),
            ["total_lines"] = lines.ToString(CultureInfo.InvariantCulture),
        }, null, cancellationToken);
    }

    public Task JobCompletedAsync(ServiceJob job, CancellationToken cancellationToken) =>
        SendAsync(job, WorkshopNoticeKinds.JobCompleted, "completed", null, null, cancellationToken);

    public Task InvoiceReadyAsync(ServiceJob job, CancellationToken cancellationToken)
    {
        var invoice = job.Invoice ?? throw new InvalidOperationException($"Job '{job.Id}' has no invoice.");
        IReadOnlyList<NotificationDocument>? documents = invoice.DocumentId is { } documentId
            ? [new NotificationDocument(documentId, invoice.DocumentVersion ?? 1, $"invoice-{invoice.Number}.pdf")]
            : null;
        return SendAsync(job, WorkshopNoticeKinds.InvoiceReady, "invoice", new(StringComparer.Ordinal)
        {
            ["invoice_number"] = invoice.Number,
            // What the owner pays: the gross amount less what their service contract covers.
            ["amount_due"] = invoice.AmountDue.Display(),
        }, documents, cancellationToken);
    }

    private async Task SendAsync(ServiceJob job, string kind, string fact, Dictionary<string, string>? data, IReadOnlyList<NotificationDocument>? documents,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["job_id"] = job.Id,
            ["vehicle_id"] = job.VehicleId,
        };
        foreach (var (key, value) in data ?? [])
        {
            values[key] = value;
        }

        await notifications.PublishAsync(new NotificationEvent(EventIdFor(job.Id, fact), kind, job.TenantId, new NotificationRecipient(job.CustomerId), values,
            Documents: documents), cancellationToken);
    }

    /// <summary>The owner's reminder of a booking; the event id is the booking's, so a retried activity sends one message.</summary>
    public Task BookingReminderAsync(Bookings.Booking booking, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(booking);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["booking_id"] = booking.Id,
            ["hours"] = booking.Hours.ToString(CultureInfo.InvariantCulture),
            ["vehicle_id"] = booking.VehicleId,
            ["start"] = Time(booking.Start),
        };
        return notifications.PublishAsync(new NotificationEvent(EventIdFor(booking.Id, "booking-reminder"), WorkshopNoticeKinds.BookingReminder, booking.TenantId,
            new NotificationRecipient(booking.CustomerId), values), cancellationToken);
    }

    /// <summary>The capability's event id of one fact about one job or booking (tests look deliveries up by it).</summary>
    public static string EventIdFor(string jobId, string fact) => $"workshop:{jobId}:{fact}";

    private static Dictionary<string, string> EstimateData(ServiceJob job, Uri link, DateTimeOffset decideBy) => new(StringComparer.Ordinal)
    {
        ["net"] = job.Estimate?.Net.Display() ?? string.Empty,
        ["link"] = link.ToString(),
        ["decide_by"] = Time(decideBy),
    };

    private static int Version(ServiceJob job) => job.Estimate?.Version ?? 0;

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
