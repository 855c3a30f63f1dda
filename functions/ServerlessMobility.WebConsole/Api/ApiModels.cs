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

public sealed record WorkflowInstance(string Name, string InstanceId, string RuntimeStatus, JsonNode? CustomStatus, JsonNode? Output,
    DateTimeOffset CreatedTime, DateTimeOffset LastUpdatedTime, IReadOnlyList<HistoryEvent>? HistoryEvents);

public sealed record PlanInstalment(int Number, DateTimeOffset DueDate, decimal Amount);

public sealed record InstalmentPosition(int Number, DateTimeOffset DueDate, decimal Amount, decimal Paid, string State);

public sealed record PlanSummary(string Id, string CustomerId, string VehicleId, string Status, string Currency, decimal Deposit, decimal FinancedTotal,
    decimal TotalCost, decimal Paid, decimal Outstanding, decimal DueToDate, decimal Arrears, DateTimeOffset? OverdueSince, PlanInstalment? NextInstalment,
    DateTimeOffset? OwnershipTransferredAt, IReadOnlyList<InstalmentPosition> Schedule);

public sealed record PlanPaymentAnswer(string Result, string? Outcome, PlanSummary? Plan);

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
