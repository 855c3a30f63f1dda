using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Workshop.Billing;
using ServerlessMobility.Workshop.Notifications;

namespace ServerlessMobility.Workshop.Bookings;

/// <param name="RemindAfter">How long after the booking the owner is reminded: computed once, when booking, from the module's clock.</param>
public sealed record BookingReminderInput(string TenantId, string BookingId, TimeSpan RemindAfter);

/// <summary>
/// Reminds the owner of their booking <see cref="WorkshopOptions.BookingReminderLead"/> before it starts: a durable timer,
/// then one message, unless the vehicle was checked in first. The wait is part of the input (the booking endpoint
/// computes it from its clock), so the replay is deterministic and a fake clock can bring the reminder forward.
/// </summary>
public sealed class BookingReminderWorkflow(IOptions<WorkshopOptions> options) : TaskOrchestrator<BookingReminderInput, string>
{
    public const string Name = "WorkshopRemindBooking";

    public static string InstanceIdFor(string tenantId, string bookingId) => WorkflowInstanceIds.For(tenantId, "ws-booking-reminder", bookingId);

    public override async Task<string> RunAsync(TaskOrchestrationContext context, BookingReminderInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var retry = OrchestrationContextExtensions.ActivityRetry(options.Value.Approval.ActivityRetryInterval);
        if (input.RemindAfter > TimeSpan.Zero)
        {
            context.SetCustomStatus(new { state = "waiting", remindAt = context.UtcNow() + input.RemindAfter });
            await context.CreateTimer(context.UtcNow() + input.RemindAfter, CancellationToken.None);
        }

        return await context.CallActivityAsync<bool>(SendBookingReminderActivity.Name, input, retry) ? "reminded" : "not-needed";
    }
}

/// <summary>Sends the reminder while the booking still waits for the vehicle (once: the message's event id is the booking's).</summary>
public sealed class SendBookingReminderActivity(ITenantRepository<Booking> bookings, WorkshopOwnerNotifier notifier) : TaskActivity<BookingReminderInput, bool>
{
    public const string Name = "WorkshopSendBookingReminder";

    public override async Task<bool> RunAsync(TaskActivityContext context, BookingReminderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var booking = (await bookings.GetAsync(input.TenantId, input.BookingId, CancellationToken.None))?.Value;
        if (booking is null || booking.JobId is not null)
        {
            return false;
        }

        await notifier.BookingReminderAsync(booking, CancellationToken.None);
        return true;
    }
}
