namespace ServerlessMobility.Showroom.Leads;

/// <summary>
/// A member of the dealership's sales staff who can be given leads. The id is the subject of their token, so points and
/// assignments made from their requests land on them.
/// </summary>
/// <param name="Active">Only active salespeople get new leads (someone on leave is set inactive).</param>
public sealed record Salesperson(string Id, string TenantId, string Name, bool Active, DateTimeOffset UpdatedAt);
