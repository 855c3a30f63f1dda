using System.Net;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Testing;
using ServerlessMobility.Workshop.Bookings;
using ServerlessMobility.Workshop.Notifications;

namespace ServerlessMobility.Workshop.Tests.Http;

/// <summary>
/// The owner's reminder of a booking, on the real Durable Task framework: the booking endpoint computes the wait from the
/// module's (fake) clock, the durable timer runs on the real one, and the message goes out once through the shared
/// notifications capability; a vehicle already checked in gets none, and a booking made inside the lead time none either.
/// </summary>
public class BookingReminderTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Booking_ReminderLeadBeforeItsStart_OwnerRemindedOnceBySmsInTheirLanguage()
    {
        // The booking starts 23 hours after the fake Monday 09:00; reminded 22:59:57 before it, that is 3 seconds from now.
        await using var host = WorkshopHost.Start(emulators, settings: new Dictionary<string, string> { ["Workshop:BookingReminderLead"] = "22:59:57" });
        await host.SetUpWorkshopAsync();
        var ownerId = await host.ReachableOwnerAsync("de");

        var booking = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/workshop/bookings", host.Token(ownerId, "customer"),
            new { customerId = ownerId, vehicleId = "WVWZZZ1JZXW000001", bayId = "bay-1", skill = "service", start = WorkshopHost.TuesdayEight, hours = 2 });
        var bookingId = booking.GetProperty("id").GetString()!;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        var instance = await host.Factory.Services.GetRequiredService<DurableTaskClient>()
            .WaitForInstanceCompletionAsync(BookingReminderWorkflow.InstanceIdFor(host.Tenant, bookingId), getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Equal("\"reminded\"", instance.SerializedOutput);
        Assert.Equal(TimeSpan.FromSeconds(3), instance.ReadInputAs<BookingReminderInput>()!.RemindAfter);

        var (kind, language, text) = await host.SentSmsAsync(WorkshopOwnerNotifier.EventIdFor(bookingId, "booking-reminder"));
        Assert.Equal((WorkshopNoticeKinds.BookingReminder, "de"), (kind, language));
        Assert.Equal("ServerlessMobility: Erinnerung: WVWZZZ1JZXW000001 in der Werkstatt am 2099-01-06 08:00 UTC.", text);

        // The vehicle is in: a late or repeated run of the activity sends nothing.
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/workshop/bookings/{bookingId}/check-in", host.Staff, new { odometerKm = 42_000, fuelLevelPercent = 60 });
        var activity = new SendBookingReminderActivity(host.Factory.Services.GetRequiredService<ITenantRepository<Booking>>(),
            host.Factory.Services.GetRequiredService<WorkshopOwnerNotifier>());
        Assert.False(await activity.RunAsync(null!, new BookingReminderInput(host.Tenant, bookingId, TimeSpan.Zero)));
    }

    [Fact]
    public async Task Booking_CloserThanTheLead_NoReminderScheduled()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync();

        // 23 hours ahead, and the default lead is a day.
        var booking = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/workshop/bookings", host.Staff,
            new { customerId = "owner-late", vehicleId = "WVWZZZ1JZXW000001", bayId = "bay-1", skill = "service", start = WorkshopHost.TuesdayEight, hours = 1 });

        Assert.Null(await host.Factory.Services.GetRequiredService<DurableTaskClient>()
            .GetInstanceAsync(BookingReminderWorkflow.InstanceIdFor(host.Tenant, booking.GetProperty("id").GetString()!), Ct));
    }
}
