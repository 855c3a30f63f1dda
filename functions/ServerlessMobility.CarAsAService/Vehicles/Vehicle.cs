using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.CarAsAService.Vehicles;

public enum StockStatus
{
    Unassigned,
    Assigned,
    Registered,
    Delivered,
}

/// <summary>
/// A vehicle in a dealership's stock. A vehicle built for an order is reserved for it while it is
/// still unassigned, so that a failed final payment can return it to open stock.
/// </summary>
public sealed record Vehicle
{
    public required string Vin { get; init; }

    public required string TenantId { get; init; }

    public required string ModelId { get; init; }

    public required StockStatus Status { get; init; }

    public string? ReservedForOrderId { get; init; }

    public string? CustomerId { get; init; }

    public string? PlateNumber { get; init; }

    /// <summary>Cosmos needs "id"; the VIN is unique by definition.</summary>
    public string Id => Vin;

    public Vehicle ReserveFor(string orderId)
    {
        if (ReservedForOrderId == orderId)
        {
            return this;
        }

        if (Status != StockStatus.Unassigned || ReservedForOrderId is not null)
        {
            throw new BusinessRuleException("vehicle-available", $"Vehicle {Vin} is not available.");
        }

        return this with { ReservedForOrderId = orderId };
    }

    /// <summary>Back to open stock; only a vehicle not yet registered can go back.</summary>
    public Vehicle ReturnToStock()
    {
        if (Status is StockStatus.Registered or StockStatus.Delivered)
        {
            throw new BusinessRuleException("vehicle-returnable", $"Vehicle {Vin} is {Status} and cannot return to stock.");
        }

        return this with { Status = StockStatus.Unassigned, ReservedForOrderId = null, CustomerId = null };
    }

    public Vehicle AssignTo(string customerId, string orderId)
    {
        if (Status != StockStatus.Unassigned)
        {
            return CustomerId == customerId ? this : throw new BusinessRuleException("vehicle-available", $"Vehicle {Vin} belongs to another customer.");
        }

        if (ReservedForOrderId is not null && ReservedForOrderId != orderId)
        {
            throw new BusinessRuleException("vehicle-available", $"Vehicle {Vin} is reserved for another order.");
        }

        return this with { Status = StockStatus.Assigned, CustomerId = customerId, ReservedForOrderId = orderId };
    }

    public Vehicle Register(string plateNumber)
    {
        if (Status == StockStatus.Registered && PlateNumber == plateNumber)
        {
            return this;
        }

        if (Status != StockStatus.Assigned)
        {
            throw new BusinessRuleException("vehicle-assigned-before-registration", $"Vehicle {Vin} must be assigned to its owner before registration.");
        }

        return this with { Status = StockStatus.Registered, PlateNumber = plateNumber };
    }
}
