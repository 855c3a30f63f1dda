using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Showroom.Analytics;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Showroom.Financing;
using ServerlessMobility.Showroom.Inventory;
using ServerlessMobility.Showroom.LiveUpdates;
using ServerlessMobility.Showroom.SavedSearches;
using ServerlessMobility.Showroom.Search;
using ServerlessMobility.Showroom.Leaderboards;
using ServerlessMobility.Showroom.LeadScoring;
using ServerlessMobility.Showroom.Leads;
using ServerlessMobility.Showroom.Storage;
using ServerlessMobility.Showroom.TestDrives;

namespace ServerlessMobility.Showroom;

/// <summary>The dealer's showroom (issue 22): financing quotes; the dealership's stock, its live changes and its search; leads, their scoring and conversion to a sale; the sales leaderboard; tracked test drives.</summary>
public sealed class ShowroomModule : IPlatformModule
{
    /// <summary>Dealers quote at the desk and customers compare offers themselves.</summary>
    public static readonly string[] QuoteRoles = [PlatformRoles.Customer, PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin];

    /// <summary>Sales staff work the leads; dealer admins too, and they alone reassign them and keep the roster.</summary>
    public static readonly string[] SalesRoles = [PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin];

    public static readonly string[] SalesAdminRoles = [PlatformRoles.DealerAdmin];

    /// <summary>Retraining replaces what every salesperson of the dealership sees: dealer admins and tenant admins.</summary>
    public static readonly string[] ModelAdminRoles = [PlatformRoles.DealerAdmin, PlatformRoles.Admin];

    /// <summary>The figures of the whole dealership: its sales managers (dealer admins) and tenant admins.</summary>
    public static readonly string[] AnalyticsRoles = [PlatformRoles.DealerAdmin, PlatformRoles.Admin];

    public string Name => "Showroom";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddShowroomStorage();
        services.AddSingleton<IVehicleSearch, LuceneVehicleSearch>();
        services.AddShowroomLiveUpdates(configuration);
        services.AddSingleton<CommittedInventoryChanges>();
        services.AddSingleton<InventoryReservations>();
        services.AddSingleton<IShowroomVehicleReservation>(sp => sp.GetRequiredService<InventoryReservations>());
        services.AddSingleton<VehiclePhotoLinks>();
        AddLeadServices(services);
        AddTestDriveServices(services);
    }

    public void MapEndpoints(RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var showroom = api.MapGroup("/showroom");
        showroom.MapPost("/financing-quotes", FinancingQuotesEndpoints.Quote).WithTags("Showroom financing").WithName("QuoteShowroomFinancing").RequireRoles(QuoteRoles);

        var staff = ShowroomAccess.Staff;
        var readers = ShowroomAccess.StaffAndCustomers;
        var inventory = showroom.MapGroup("/inventory").WithTags("Showroom inventory");
        showroom.MapPost("/inventory", InventoryEndpoints.AddAsync).WithTags("Showroom inventory").WithName("AddShowroomVehicle").RequireRoles(staff);
        showroom.MapGet("/inventory", InventoryEndpoints.ListAsync).WithTags("Showroom inventory").WithName("ListShowroomVehicles").RequireRoles(readers);

        // Declared before "/{vin}" for readers of this file; routing prefers the literal segment anyway.
        inventory.MapGet("/changes", InventoryChangesEndpoints.Stream).WithName("StreamShowroomInventoryChanges").RequireRoles(readers);
        inventory.MapGet("/{vin}", InventoryEndpoints.GetAsync).WithName("GetShowroomVehicle").RequireRoles(readers);
        inventory.MapPut("/{vin}", InventoryEndpoints.UpdateAsync).WithName("UpdateShowroomVehicle").RequireRoles(staff);
        inventory.MapPost("/{vin}/status", InventoryEndpoints.ChangeStatusAsync).WithName("ChangeShowroomVehicleStatus").RequireRoles(staff);
        inventory.MapPost("/{vin}/photos", InventoryEndpoints.RequestPhotoUploadAsync).WithName("RequestShowroomVehiclePhotoUpload").RequireRoles(staff);

        showroom.MapPost("/live/negotiate", LiveNegotiateEndpoints.NegotiateAsync).WithTags("Showroom inventory").WithName("NegotiateShowroomLive").RequireRoles(readers);

        showroom.MapGet("/search", SearchEndpoints.SearchAsync).WithTags("Showroom search").WithName("SearchShowroomVehicles").RequireRoles(readers);
        showroom.MapGet("/search/suggest", SearchEndpoints.SuggestAsync).WithTags("Showroom search").WithName("SuggestShowroomVehicles").RequireRoles(readers);
        var saved = showroom.MapGroup("/saved-searches").WithTags("Showroom saved searches");
        showroom.MapPost("/saved-searches", SavedSearchesEndpoints.SaveAsync).WithTags("Showroom saved searches").WithName("SaveShowroomSearch").RequireRoles(readers);
        showroom.MapGet("/saved-searches", SavedSearchesEndpoints.ListAsync).WithTags("Showroom saved searches").WithName("ListShowroomSavedSearches").RequireRoles(readers);
        saved.MapPost("/{id}/runs", SavedSearchesEndpoints.RunAsync).WithName("RunShowroomSavedSearch").RequireRoles(readers);
        saved.MapDelete("/{id}", SavedSearchesEndpoints.DeleteAsync).WithName("DeleteShowroomSavedSearch").RequireRoles(readers);

        MapLeadEndpoints(showroom);
        MapTestDriveEndpoints(showroom);
    }

    private static void AddLeadServices(IServiceCollection services)
    {
        services.AddOptions<LeadScoringOptions>().BindConfiguration(LeadScoringOptions.SectionName)
            .Validate(o => o.IsValid(), "Showroom:LeadScoring: ModelRefreshInterval is positive and at most an hour; TrainingRows is 500 to 5,000.")
            .ValidateOnStart();
        services.AddShowroomLeadStorage();
        services.AddOptions<RentToOwnHandOffOptions>().BindConfiguration(RentToOwnHandOffOptions.SectionName)
            .Validate(o => o.IsValid(), "Showroom:HandOff:RentToOwn: FinanceChargeRate is 0 to 2; MinWeeks 1 to MaxWeeks, at most 520; MaxPrices is \"CUR:amount\" pairs, comma-separated, amounts positive in the currency's minor units.")
            .ValidateOnStart();
        services.AddSingleton<LeadCapturing>();
        services.AddSingleton<SalesPoints>();
        services.AddSingleton<SalesLeaderboards>();
        services.AddSingleton<LiveLeaderboards>();
        services.AddSingleton<LeadModelStore>();
        services.AddSingleton<LeadScorer>();
    }

    private static void MapLeadEndpoints(RouteGroupBuilder showroom)
    {
        var leads = showroom.MapGroup("/leads").WithTags("Showroom leads");
        showroom.MapPost("/leads", LeadsEndpoints.CaptureAsync).WithTags("Showroom leads").WithName("CaptureShowroomLead").RequireRoles(SalesRoles);
        showroom.MapGet("/leads", LeadListEndpoints.ListAsync).WithTags("Showroom leads").WithName("ListShowroomLeads").RequireRoles(SalesRoles);
        leads.MapPost("/enquiries", LeadsEndpoints.EnquireAsync).WithName("SendShowroomEnquiry").RequireRoles(PlatformRoles.Customer);
        leads.MapGet("/{id}", LeadsEndpoints.GetAsync).WithName("GetShowroomLead").RequireRoles(SalesRoles);
        leads.MapPost("/{id}/activities", LeadsEndpoints.LogActivityAsync).WithName("LogShowroomLeadActivity").RequireRoles(SalesRoles);
        leads.MapPost("/{id}/stage", LeadsEndpoints.ChangeStageAsync).WithName("ChangeShowroomLeadStage").RequireRoles(SalesRoles);
        leads.MapPost("/{id}/assignment", LeadsEndpoints.AssignAsync).WithName("AssignShowroomLead").RequireRoles(SalesAdminRoles);
        leads.MapPost("/{id}/convert", LeadsEndpoints.ConvertAsync).WithName("ConvertShowroomLead").RequireRoles(SalesRoles);
        leads.MapPost("/{id}/hand-off", LeadHandOffEndpoints.HandOffAsync).WithName("HandOffShowroomLead").RequireRoles(SalesRoles);
        leads.MapGet("/{id}/score", LeadScoringEndpoints.ScoreAsync).WithTags("Showroom lead scoring").WithName("ScoreShowroomLead").RequireRoles(SalesRoles);
        showroom.MapPost("/lead-model/retrain", LeadScoringEndpoints.RetrainAsync).WithTags("Showroom lead scoring").WithName("RetrainShowroomLeadModel").RequireRoles(ModelAdminRoles);
        showroom.MapPut("/salespeople/{id}", SalespeopleEndpoints.PutAsync).WithTags("Showroom leads").WithName("PutShowroomSalesperson").RequireRoles(SalesAdminRoles);
        showroom.MapGet("/leaderboard", LeaderboardEndpoints.GetAsync).WithTags("Showroom leaderboard").WithName("GetShowroomLeaderboard").RequireRoles(SalesRoles);
        showroom.MapGet("/analytics", SalesAnalyticsEndpoints.GetAsync).WithTags("Showroom analytics").WithName("GetShowroomAnalytics").RequireRoles(AnalyticsRoles);
        showroom.MapGet("/analytics.xlsx", SalesAnalyticsEndpoints.GetWorkbookAsync).WithTags("Showroom analytics").WithName("GetShowroomAnalyticsWorkbook").RequireRoles(AnalyticsRoles)
            .Produces(StatusCodes.Status200OK, contentType: SalesAnalyticsEndpoints.XlsxContentType);
        showroom.MapGet("/leaderboard/changes", LeaderboardEndpoints.Stream).WithTags("Showroom leaderboard").WithName("StreamShowroomLeaderboard").RequireRoles(SalesRoles);
    }

    private static void AddTestDriveServices(IServiceCollection services)
    {
        services.AddOptions<TestDriveOptions>().BindConfiguration(TestDriveOptions.SectionName)
            .Validate(o => o.IsValid(), "Showroom:TestDrives: SlotMinutes 5 to 60 dividing an hour; durations whole slots, min <= max <= 1 day; MaxDaysAhead 1 to 365; "
                + "MinDriverAge 16 to 30; GeofenceRadiusMeters 100 to 100,000; StaleClaimGraceMinutes 1 to 1440.")
            .ValidateOnStart();
        services.AddShowroomTestDriveStorage();
        services.AddSingleton<TestDriveScheduling>();

        // The telemetry pipeline calls every observer with each vehicle's new readings, in both hosts.
        services.AddSingleton<IVehicleReadingObserver, TestDriveTelemetryObserver>();
    }

    /// <summary>Test drives are the sales staff's: booking, licence, waiver, start, track, finish and feedback at the desk; cancelling and moving a booking.</summary>
    private static void MapTestDriveEndpoints(RouteGroupBuilder showroom)
    {
        var drives = showroom.MapGroup("/test-drives").WithTags("Showroom test drives");
        showroom.MapPost("/test-drives", TestDrivesEndpoints.BookAsync).WithTags("Showroom test drives").WithName("BookShowroomTestDrive").RequireRoles(SalesRoles);
        drives.MapGet("/{id}", TestDrivesEndpoints.GetAsync).WithName("GetShowroomTestDrive").RequireRoles(SalesRoles);
        drives.MapPost("/{id}/licence-check", TestDrivesEndpoints.CheckLicenceAsync).WithName("CheckShowroomTestDriveLicence").RequireRoles(SalesRoles);
        drives.MapPost("/{id}/waiver", TestDrivesEndpoints.SignWaiverAsync).WithName("SignShowroomTestDriveWaiver").RequireRoles(SalesRoles);
        drives.MapPost("/{id}/start", TestDrivesEndpoints.StartAsync).WithName("StartShowroomTestDrive").RequireRoles(SalesRoles);
        drives.MapGet("/{id}/track", TestDrivesEndpoints.TrackAsync).WithName("GetShowroomTestDriveTrack").RequireRoles(SalesRoles);
        drives.MapPost("/{id}/finish", TestDrivesEndpoints.FinishAsync).WithName("FinishShowroomTestDrive").RequireRoles(SalesRoles);
        drives.MapPost("/{id}/feedback", TestDrivesEndpoints.FeedbackAsync).WithName("RecordShowroomTestDriveFeedback").RequireRoles(SalesRoles);
        drives.MapPost("/{id}/cancel", TestDriveChangesEndpoints.CancelAsync).WithName("CancelShowroomTestDrive").RequireRoles(SalesRoles);
        drives.MapPost("/{id}/reschedule", TestDriveChangesEndpoints.RescheduleAsync).WithName("RescheduleShowroomTestDrive").RequireRoles(SalesRoles);
    }
}
