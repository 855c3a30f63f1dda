using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using ServerlessMobility.FunctionsApp.Workflows;
using ServerlessMobility.Workshop.Bookings;

namespace ServerlessMobility.FunctionsApp.Workshop;

/// <summary>The owner's reminder of a workshop booking: a durable timer and one activity.</summary>
public sealed class BookingReminderFunctions
{
    [Function(BookingReminderWorkflow.Name)]
    public static Task<string> WorkshopRemindBooking([OrchestrationTrigger] TaskOrchestrationContext context, FunctionContext function) =>
        DurableFunctions.RunOrchestratorAsync<BookingReminderWorkflow, BookingReminderInput, string>(context, function);

    [Function(SendBookingReminderActivity.Name)]
    public static Task<bool> WorkshopSendBookingReminder([ActivityTrigger] BookingReminderInput input, FunctionContext function, [DurableClient] DurableTaskClient durable) =>
        DurableFunctions.RunActivityAsync<SendBookingReminderActivity, BookingReminderInput, bool>(SendBookingReminderActivity.Name, input, function, durable);
}
