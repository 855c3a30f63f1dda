using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Hosting;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Showroom.Financing;
using ServerlessMobility.Showroom.Inventory;
using ServerlessMobility.Showroom.LiveUpdates;
using ServerlessMobility.Showroom.Search;
using ServerlessMobility.Showroom.Storage;

namespace ServerlessMobility.Showroom;

/// <summary>The dealer's showroom (issue 22): financing quotes, the dealership's stock, its live changes and its search.</summary>
public sealed class ShowroomModule : IPlatformModule
{
    /// <summary>Dealers quote at the desk and customers compare offers themselves.</summary>
    public static readonly string[] QuoteRoles = [PlatformRoles.Customer, PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin];

    public string Name => "Showroom";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddShowroomStorage();
        services.AddSingleton<IVehicleSearch, LuceneVehicleSearch>();
        services.AddSingleton<IInventoryChangeBroadcaster, InProcessInventoryChangeBroadcaster>();
        services.AddSingleton<CommittedInventoryChanges>();
        services.AddSingleton<InventoryReservations>();
        services.AddSingleton<VehiclePhotoLinks>();
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

        showroom.MapGet("/search", SearchEndpoints.SearchAsync).WithTags("Showroom search").WithName("SearchShowroomVehicles").RequireRoles(readers);
        showroom.MapGet("/search/suggest", SearchEndpoints.SuggestAsync).WithTags("Showroom search").WithName("SuggestShowroomVehicles").RequireRoles(readers);
    }
}
