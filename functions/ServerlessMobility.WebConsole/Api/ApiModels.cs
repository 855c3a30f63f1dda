using System.Text.Json.Nodes;

namespace ServerlessMobility.WebConsole.Api;

// The API's JSON as the console reads it: only the fields the screens show. The API's OpenAPI document
// (/api/openapi.json) is the reference; the browser tests fail when a screen stops finding what it shows.

public sealed record DevTokenAnswer(string AccessToken, string TokenType);

public sealed record Me(string Subject, string TenantId, IReadOnlyList<string> Roles);

public sealed record Money(decimal Amount, string Currency);

public sealed record OrderPrice(Money? Gross);

public sealed record OrderStatusChange(string Status, DateTimeOffset At, string? Detail);

public sealed record Order(string Id, string CustomerId, string ModelId, string Country, string Status, DateTimeOffset CreatedAt,
    IReadOnlyList<OrderStatusChange> History, OrderPrice? Price, string? Vin, DateTimeOffset? DeliveryAppointment);

public sealed record OrderPage(IReadOnlyList<Order> Items, int Page, int PageSize, int Total);

public sealed record HistoryFailure(string? ErrorType, string? ErrorMessage);

public sealed record HistoryEvent(string EventType, int EventId, DateTimeOffset Timestamp, string? Name, int? ScheduledId, DateTimeOffset? FireAt,
    HistoryFailure? FailureDetails, JsonNode? Result = null);

/// <param name="HistoryUnavailable">Why <paramref name="HistoryEvents"/> is missing although it was asked for (a host whose Durable client cannot read histories).</param>
public sealed record WorkflowInstance(string Name, string InstanceId, string RuntimeStatus, JsonNode? CustomStatus, JsonNode? Output,
    DateTimeOffset CreatedTime, DateTimeOffset LastUpdatedTime, IReadOnlyList<HistoryEvent>? HistoryEvents, string? HistoryUnavailable = null);

public sealed record PlanInstalment(int Number, DateTimeOffset DueDate, decimal Amount);

public sealed record InstalmentPosition(int Number, DateTimeOffset DueDate, decimal Amount, decimal Paid, string State);

public sealed record PlanSummary(string Id, string CustomerId, string VehicleId, string Status, string Currency, decimal Deposit, decimal FinancedTotal,
    decimal TotalCost, decimal Paid, decimal Outstanding, decimal DueToDate, decimal Arrears, DateTimeOffset? OverdueSince, PlanInstalment? NextInstalment,
    DateTimeOffset? OwnershipTransferredAt, IReadOnlyList<InstalmentPosition> Schedule, PlanImmobilization? Immobilization = null);

/// <summary>An operator's immobilization recorded on the plan; closed (<paramref name="ReleasedAt"/>) once the workflow mobilized the vehicle.</summary>
public sealed record PlanImmobilization(string By, DateTimeOffset At, string Reason, string CommandId, DateTimeOffset? ReleasedAt);

public sealed record PlanPaymentAnswer(string Result, string? Outcome, PlanSummary? Plan);

public sealed record VehicleListItem(string Vin, string? OwnerSubject, string? Model, DateTimeOffset RegisteredAt);

public sealed record VehicleListPage(IReadOnlyList<VehicleListItem> Items, string? Next);

public sealed record VehicleState(string Vin, double Lat, double Lon, double SpeedKmh, double Heading, double OdometerKm, double? BatteryPercent,
    double? FuelPercent, bool Ignition, IReadOnlyList<string> Dtcs, string? FirmwareVersion, DateTimeOffset LastReadingAt, DateTimeOffset LastSeenAt);

public sealed record PriceBreakdown(Money Net, decimal VatRate, Money Vat, Money Gross);

public sealed record FeatureOffer(string Code, string Name, IReadOnlyList<string> AllowedDurations, PriceBreakdown? MonthlyPrice, bool Available,
    IReadOnlyList<string> UnavailableReasons, string? CurrentState);

public sealed record FeatureStateChange(string State, DateTimeOffset At, string? Reason);

public sealed record FeatureSubscription(string Id, string CustomerId, string Vin, string FeatureCode, string FeatureName, string Duration, string Country,
    PriceBreakdown MonthlyPrice, Money UpfrontAmount, string State, IReadOnlyList<FeatureStateChange> History, DateTimeOffset RequestedAt, bool Captured,
    DateTimeOffset? ActivatedAt, DateTimeOffset? EndsAt, DateTimeOffset? EndedAt, string? FailureReason);

public sealed record GeoPoint(double Lat, double Lon);

public sealed record Geofence(string Id, string Vin, string Name, string Kind, GeoPoint? Center, double? RadiusMeters, IReadOnlyList<GeoPoint>? Polygon);

public sealed record ShowroomVehicle(string Vin, string Make, string Model, int Year, string? Trim, string Fuel, string Colour, int MileageKm, decimal Price,
    string Currency, string Status, DateTimeOffset AddedAt, DateTimeOffset UpdatedAt, long Version);

public sealed record InventoryPage(IReadOnlyList<ShowroomVehicle> Items, int Page, int PageSize, int Total);

public sealed record SearchHit(string Vin, string Make, string Model, int Year, string? Trim, string Fuel, string Colour, int MileageKm, decimal Price,
    string Currency, string Status, DateTimeOffset AddedAt);

public sealed record FacetCount(string Value, int Count);

public sealed record SearchFacets(IReadOnlyList<FacetCount> Make, IReadOnlyList<FacetCount> PriceBand, IReadOnlyList<FacetCount> Fuel);

public sealed record SearchResult(IReadOnlyList<SearchHit> Hits, int Total, int Page, int PageSize, SearchFacets Facets);

/// <summary>One event of <c>GET /api/showroom/inventory/changes</c>: kind Connected (the <c>ready</c> event), Added, Updated or StatusChanged.</summary>
public sealed record InventoryChange(string Kind, string Vin, string? Status, string? PreviousStatus, long Version, DateTimeOffset At, ShowroomVehicle? Vehicle);

public sealed record LeaderboardEntry(int Rank, string SalespersonId, string? Name, int Points, int Sales, int TestDrives, IReadOnlyList<string> Badges);

public sealed record Leaderboard(string Period, string Key, DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<LeaderboardEntry> Entries);

public sealed record PointAward(string SalespersonId, string Action, int Points, string LeadId, DateTimeOffset At);

/// <summary>One event of <c>GET /api/showroom/leaderboard/changes</c>: the board, and the award that moved it (null in the first).</summary>
public sealed record LeaderboardUpdate(Leaderboard Board, PointAward? Cause);

public sealed record LeadScoreContribution(string Feature, string Description, double Value, double Contribution, string Effect);

public sealed record LeadScore(string LeadId, int ModelVersion, double Probability, DateTimeOffset ScoredAt, IReadOnlyList<LeadScoreContribution> Explanation);

public sealed record LeadSummary(string Id, string? Name, string Stage, string Source, string? AssignedTo);

public sealed record LeadActivityEntry(string Id, string Kind, string? Note, DateTimeOffset At, string By);

public sealed record LeadStageChangeEntry(string From, string To, DateTimeOffset At, string By, string? Reason);

/// <summary>One lead of <c>GET /api/showroom/leads</c>: no contact details, those are the lead's own.</summary>
public sealed record LeadListItem(string Id, string Name, string Source, string Stage, string? AssignedTo, string? VehicleOfInterest, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, LeadActivityEntry? LastActivity);

public sealed record LeadListPage(IReadOnlyList<LeadListItem> Items, string? Next);

/// <summary>A lead as <c>GET /api/showroom/leads/{id}</c> and its changes answer it to sales staff.</summary>
public sealed record LeadDetail(string Id, string Source, string Name, string? Email, string? Phone, string? AssignedTo, string Stage, string? VehicleOfInterest,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<LeadActivityEntry> Activities, IReadOnlyList<LeadStageChangeEntry> StageHistory, bool Merged = false);

/// <summary>One booking on <c>GET /api/workshop/board</c>: <paramref name="Status"/> is its job's, null until the vehicle is checked in.</summary>
public sealed record WorkshopBoardEntry(string BookingId, DateTimeOffset Start, DateTimeOffset End, string TechnicianId, string VehicleId, string CustomerId,
    string? JobId, string? Status);

public sealed record WorkshopBayBoard(string BayId, string Name, IReadOnlyList<WorkshopBoardEntry> Entries);

public sealed record WorkshopBoard(string Day, IReadOnlyList<WorkshopBayBoard> Bays);

public sealed record WorkshopBooking(string Id, string CustomerId, string VehicleId, string BayId, string TechnicianId, string Skill, DateTimeOffset Start,
    int Hours, DateTimeOffset BookedAt, string BookedBy, string? JobId);

public sealed record WorkshopCheckIn(int OdometerKm, int FuelLevelPercent, IReadOnlyList<string> Photos, DateTimeOffset At, string By);

public sealed record WorkshopStatusChange(string From, string To, DateTimeOffset At, string? Reason);

public sealed record WorkshopJob(string Id, string BookingId, string CustomerId, string VehicleId, string Status, WorkshopCheckIn CheckIn,
    IReadOnlyList<WorkshopStatusChange> History, decimal HoursWorked);
