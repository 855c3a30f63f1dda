using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Workshop.Approval;
using ServerlessMobility.Workshop.Billing;
using ServerlessMobility.Workshop.Bookings;
using ServerlessMobility.Workshop.Jobs;
using ServerlessMobility.Workshop.Maintenance;
using ServerlessMobility.Workshop.Media;
using ServerlessMobility.Workshop.Notifications;
using ServerlessMobility.Workshop.Parts;
using ServerlessMobility.Workshop.Storage;

namespace ServerlessMobility.Workshop;

/// <summary>Workshop services: bays and technicians, bookings, the service job from check-in to payment, the owner's approval by link, parts stock.</summary>
public sealed class WorkshopModule : IPlatformModule
{
    public string Name => "Workshop";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkshopOptions>().BindConfiguration(WorkshopOptions.SectionName)
            .Validate(o => Platform.Http.InputFormats.IsCountryCode(o.Country) && Platform.Currencies.Currency.IsValidCode(o.Currency),
                "Workshop:Country must be an ISO 3166-1 alpha-2 code and Workshop:Currency an ISO 4217 code.")
            .Validate(o => o.TaxRates.Values.All(r => r is >= 0 and < 1), "Workshop:TaxRates are fractions from 0 to below 1.")
            .Validate(o => o.ApprovalLinkLifetime > TimeSpan.Zero && o.ApprovalLinkLifetime <= TimeSpan.FromDays(30), "Workshop:ApprovalLinkLifetime must be positive and at most 30 days.")
            .Validate(o => o.Approval.IsValid(o.ApprovalLinkLifetime),
                $"Workshop:Approval: ReminderInterval, Expiry and ActivityRetryInterval must be positive, Expiry at most Workshop:ApprovalLinkLifetime, and at most {ApprovalWorkflowOptions.MaxReminders} reminders fit before it.")
            .Validate(o => o.BookingReminderLead >= TimeSpan.Zero && o.BookingReminderLead <= TimeSpan.FromDays(14), "Workshop:BookingReminderLead is 0 (off) to 14 days.")
            .Validate(o => o.Maintenance.IsValid(),
                "Workshop:Maintenance: the intervals must be positive, ProposalHorizon at most 60 days, ServiceHours 1 to 8 and the skills ids of letters, digits, '-' or '_'.")
            .Validate(o => o.Media.IsValid(), "Workshop:Media: UploadLinkLifetime and ReadLinkLifetime are positive and at most an hour; MaxBytes is positive.")
            .ValidateOnStart();
        services.AddSingleton<ApprovalLinks>();
        services.AddSingleton<JobMediaLinks>();
        services.AddSingleton<IServiceHistory, WorkshopServiceHistory>();
        services.AddSingleton<WorkshopOwnerNotifier>();
        services.AddOrchestrator<ApprovalWorkflow>(ApprovalWorkflow.Name);
        services.AddActivity<NotifyOwnerActivity>(NotifyOwnerActivity.Name);
        services.AddActivity<ExpireEstimateActivity>(ExpireEstimateActivity.Name);
        services.AddOrchestrator<BookingReminderWorkflow>(BookingReminderWorkflow.Name);
        services.AddActivity<SendBookingReminderActivity>(SendBookingReminderActivity.Name);
        services.AddWorkshopStorage();
    }

    public void MapEndpoints(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var workshop = api.MapGroup("/workshop");
        var staff = WorkshopAccess.Staff;
        var staffAndOwners = WorkshopAccess.StaffAndOwners;

        workshop.MapPut("/bays/{id}", ResourcesEndpoints.PutBayAsync).WithTags("Workshop bays and technicians").WithName("PutWorkshopBay").RequireRoles(staff);
        workshop.MapPut("/technicians/{id}", ResourcesEndpoints.PutTechnicianAsync).WithTags("Workshop bays and technicians").WithName("PutWorkshopTechnician").RequireRoles(staff);

        var bookings = workshop.MapGroup("/bookings").WithTags("Workshop bookings");
        workshop.MapPost("/bookings", BookingsEndpoints.BookAsync).WithTags("Workshop bookings").WithName("BookWorkshopSlot").RequireRoles(staffAndOwners);
        bookings.MapGet("/{id}", BookingsEndpoints.GetAsync).WithName("GetWorkshopBooking").RequireRoles(staffAndOwners);
        bookings.MapPost("/{id}/check-in", JobsEndpoints.CheckInAsync).WithName("CheckInWorkshopBooking").RequireRoles(staff);

        var jobs = workshop.MapGroup("/jobs").WithTags("Workshop jobs");
        jobs.MapGet("/{id}", JobsEndpoints.GetAsync).WithName("GetWorkshopJob").RequireRoles(staffAndOwners);
        jobs.MapPost("/{id}/status", JobsEndpoints.ChangeStatusAsync).WithName("ChangeWorkshopJobStatus").RequireRoles(staff);
        jobs.MapPut("/{id}/estimate", JobsEndpoints.PutEstimateAsync).WithName("PutWorkshopEstimate").RequireRoles(staff);
        jobs.MapPost("/{id}/approval-links", ApprovalEndpoints.CreateLinkAsync).WithName("CreateWorkshopApprovalLink").RequireRoles(staff);
        jobs.MapPost("/{id}/media", MediaEndpoints.RequestUploadAsync).WithName("RequestWorkshopJobMediaUpload").RequireRoles(staff);
        jobs.MapPost("/{id}/part-reservations", JobsEndpoints.ReservePartsAsync).WithName("ReserveWorkshopJobParts").RequireRoles(staff);
        jobs.MapPost("/{id}/invoice", BillingEndpoints.InvoiceAsync).WithName("InvoiceWorkshopJob").RequireRoles(staff);
        jobs.MapPost("/{id}/payments", BillingEndpoints.RecordPaymentAsync).WithName("RecordWorkshopJobPayment").RequireRoles(staffAndOwners);
        jobs.MapPost("/{id}/charge", BillingEndpoints.ChargeAsync).WithName("ChargeWorkshopJob").RequireRoles(staffAndOwners)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        jobs.MapPost("/{id}/clock", TechniciansEndpoints.ClockAsync).WithName("ClockWorkshopJob").RequireRoles(staff);
        workshop.MapGet("/vehicles/{vin}/maintenance", MaintenanceEndpoints.ProposeAsync).WithTags("Workshop bookings").WithName("GetWorkshopMaintenanceProposal")
            .RequireRoles(staff);
        workshop.MapGet("/board", TechniciansEndpoints.BoardAsync).WithTags("Workshop bays and technicians").WithName("GetWorkshopBoard").RequireRoles(staff);

        // The owner's signed link: no sign-in, the signature is the authorization (ApprovalLinks).
        workshop.MapGet("/approvals", ApprovalEndpoints.GetAsync).WithName("GetWorkshopEstimateByLink").WithTags("Workshop estimate approval").AllowAnonymous()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        workshop.MapPost("/approvals", ApprovalEndpoints.DecideAsync).WithName("DecideWorkshopEstimateByLink").WithTags("Workshop estimate approval").AllowAnonymous()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        var parts = workshop.MapGroup("/parts").WithTags("Workshop parts");
        parts.MapPut("/{location}/{sku}", PartsEndpoints.PutAsync).WithName("PutWorkshopPartStock").RequireRoles(staff);
        parts.MapGet("/{location}/{sku}", PartsEndpoints.GetAsync).WithName("GetWorkshopPartStock").RequireRoles(staff);
        parts.MapGet("/reorder-suggestions", PartsEndpoints.ReorderSuggestionsAsync).WithName("GetWorkshopReorderSuggestions").RequireRoles(staff);
    }
}
