using ServerlessMobility.CarAsAService.Catalog;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Orders;

public enum OrderStatus
{
    AwaitingDeposit,
    DepositPaid,
    FactoryOrdered,
    InManufacturing,
    AwaitingFinalPayment,
    FullyPaid,
    Registered,
    Completed,
    Cancelled,
}

/// <summary>The factory's stages, in the only order a vehicle can go through them.</summary>
public enum ManufacturingStage
{
    Accepted = 1,
    InProduction = 2,
    QualityCheck = 3,
    Shipped = 4,
    ReadyForDelivery = 5,

    /// <summary>Not a stage: the factory gave up on an order it had accepted (webhook status <c>rejected</c>).</summary>
    Rejected = 100,
}

public sealed record OrderStatusChange(OrderStatus Status, DateTimeOffset At, string? Detail = null);

/// <summary>
/// A vehicle order of one dealership. Immutable: every change returns a new order with the change
/// appended to its history, so the repository can write it under the ETag it was read with.
/// </summary>
public sealed record Order
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required string CustomerId { get; init; }

    public required string ModelId { get; init; }

    public required IReadOnlyList<string> Packs { get; init; }

    public required string Country { get; init; }

    public required PriceBreakdown Price { get; init; }

    public required Money Deposit { get; init; }

    public required OrderStatus Status { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required IReadOnlyList<OrderStatusChange> History { get; init; }

    public ManufacturingStage? ManufacturingStage { get; init; }

    public string? FactoryOrderId { get; init; }

    public string? Vin { get; init; }

    public string? PlateNumber { get; init; }

    public string? DepositPaymentId { get; init; }

    public string? FinalPaymentId { get; init; }

    public DateTimeOffset? DeliveryAppointment { get; init; }

    public string? CancellationReason { get; init; }

    public IReadOnlyList<string> InvoiceBlobs { get; init; } = [];

    /// <summary>The issued PDF invoice (Documents); downloaded through a signed link.</summary>
    public string? InvoiceDocumentId { get; init; }

    public bool IsTerminal => Status is OrderStatus.Completed or OrderStatus.Cancelled;

    /// <summary>What remains after the deposit.</summary>
    public Money FinalAmount => Price.Gross.Subtract(Deposit);

    public static Order Register(string id, string tenantId, string customerId, VehicleModel model, string country,
        IReadOnlyList<string> packs, decimal depositRate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(packs);
        var price = model.Price(country, packs);
        return new Order
        {
            Id = id,
            TenantId = tenantId,
            CustomerId = customerId,
            ModelId = model.Id,
            Packs = [.. packs.Distinct(StringComparer.Ordinal)],
            Country = country.ToUpperInvariant(),
            Price = price,
            Deposit = price.Gross.Multiply(depositRate),
            Status = OrderStatus.AwaitingDeposit,
            CreatedAt = now,
            History = [new OrderStatusChange(OrderStatus.AwaitingDeposit, now)],
        };
    }

    /// <summary>
    /// Moves to <paramref name="status"/>. Setting the status the order already has is a no-op, so an
    /// activity that runs twice changes nothing the second time.
    /// </summary>
    public Order MoveTo(OrderStatus status, DateTimeOffset at, string? detail = null)
    {
        if (Status == status)
        {
            return this;
        }

        if (IsTerminal)
        {
            throw new BusinessRuleException("order-not-closed", $"Order '{Id}' is {Status} and can no longer change.");
        }

        if (status != OrderStatus.Cancelled && status < Status)
        {
            throw new BusinessRuleException("order-moves-forward", $"Order '{Id}' cannot go back from {Status} to {status}.");
        }

        return this with { Status = status, History = [.. History, new OrderStatusChange(status, at, detail)] };
    }

    /// <summary>
    /// Applies a factory stage. Stages only move forward: a duplicate or a late, older stage leaves
    /// the order unchanged (webhooks arrive at least once and in any order).
    /// </summary>
    public Order ApplyManufacturingStage(ManufacturingStage stage, DateTimeOffset at)
    {
        if (IsTerminal || (ManufacturingStage is { } current && stage <= current))
        {
            return this;
        }

        var moved = Status < OrderStatus.InManufacturing
            ? MoveTo(OrderStatus.InManufacturing, at, stage.ToString())
            : this with { History = [.. History, new OrderStatusChange(Status, at, stage.ToString())] };
        return moved with { ManufacturingStage = stage };
    }

    public Order Cancel(string reason, DateTimeOffset at)
    {
        if (Status == OrderStatus.Cancelled)
        {
            return this;
        }

        return MoveTo(OrderStatus.Cancelled, at, reason) with { CancellationReason = reason };
    }
}
