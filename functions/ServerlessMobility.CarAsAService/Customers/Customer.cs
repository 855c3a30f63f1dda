namespace ServerlessMobility.CarAsAService.Customers;

/// <summary>A customer of one dealership; the id is also the subject of the customer's tokens.</summary>
public sealed record Customer(string Id, string TenantId, string Name, string Email, string Country, DateTimeOffset CreatedAt);
