using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.Workshop.Parts;

/// <summary>Parts held for one job; consumed when the job completes, released when it does not go ahead.</summary>
public sealed record PartReservation(string JobId, int Quantity, DateTimeOffset ReservedAt);

/// <summary>What to order when stock runs low: enough to be back above the reorder level by <see cref="Quantity"/>.</summary>
public sealed record PurchaseOrderSuggestion(string Sku, string Location, int Quantity);

/// <summary>
/// One SKU at one stock location. <see cref="Available"/> is what is on hand and not reserved; a reservation larger
/// than that is refused, so with every change stored conditionally on the version it was read at, stock never goes
/// negative however many jobs reserve at once.
/// </summary>
public sealed class PartStock
{
    public required string Id { get; init; }

    public required string TenantId { get; init; }

    public required string Sku { get; init; }

    public required string Location { get; init; }

    public required string Description { get; set; }

    public required decimal UnitPrice { get; set; }

    public required string Currency { get; set; }

    public int OnHand { get; set; }

    public int ReorderLevel { get; set; }

    public List<PartReservation> Reservations { get; init; } = [];

    public int Reserved => Reservations.Sum(r => r.Quantity);

    public int Available => OnHand - Reserved;

    public static string IdFor(string location, string sku) => $"{location}.{sku}";

    /// <summary>Sets the counted stock; a count below what jobs hold reserved would strand them, so it is refused.</summary>
    public void Count(int onHand)
    {
        if (onHand < 0)
        {
            throw RequestValidationException.For("onHand", "Stock on hand is 0 or more.");
        }

        if (onHand < Reserved)
        {
            throw new BusinessRuleException("workshop-stock-below-reserved", $"{Reserved} of {Sku} are reserved for jobs; on hand cannot be {onHand}.");
        }

        OnHand = onHand;
    }

    /// <summary>Holds <paramref name="quantity"/> for the job; reserving again for the same job sets its quantity (a retried request changes nothing).</summary>
    public PartReservation Reserve(string jobId, int quantity, DateTimeOffset at) =>
        TryReserve(jobId, quantity, at)
        ?? throw new ConflictException($"Only {AvailableFor(jobId)} of {Sku} at {Location} are available; {quantity} were asked for.");

    /// <summary>What the job could hold here: what is free plus what it already holds.</summary>
    public int AvailableFor(string jobId) => Available + HeldBy(jobId);

    public int HeldBy(string jobId) => Reservations.Where(r => string.Equals(r.JobId, jobId, StringComparison.Ordinal)).Sum(r => r.Quantity);

    /// <summary>
    /// Like <see cref="Reserve"/>, but a shortage is an answer rather than an error: the job then holds nothing more here
    /// (all or nothing per part, so two waiting jobs never each sit on half of what one of them needs).
    /// </summary>
    /// <returns>The reservation, or null when fewer than <paramref name="quantity"/> are available to the job.</returns>
    public PartReservation? TryReserve(string jobId, int quantity, DateTimeOffset at)
    {
        if (quantity <= 0)
        {
            throw RequestValidationException.For("quantity", "Reserve at least one.");
        }

        var existing = Reservations.FindIndex(r => string.Equals(r.JobId, jobId, StringComparison.Ordinal));
        var heldByJob = existing >= 0 ? Reservations[existing].Quantity : 0;
        if (quantity - heldByJob > Available)
        {
            return null;
        }

        if (existing >= 0 && Reservations[existing].Quantity == quantity)
        {
            // Asked again: the first reservation (and its time) stands.
            return Reservations[existing];
        }

        var reservation = new PartReservation(jobId, quantity, at);
        if (existing >= 0)
        {
            Reservations[existing] = reservation;
        }
        else
        {
            Reservations.Add(reservation);
        }

        return reservation;
    }

    /// <summary>Takes the job's reserved parts out of stock. Consuming again (a retried completion) takes nothing more.</summary>
    /// <returns>The quantity consumed now; 0 when the job holds nothing here.</returns>
    public int Consume(string jobId)
    {
        var existing = Reservations.FindIndex(r => string.Equals(r.JobId, jobId, StringComparison.Ordinal));
        if (existing < 0)
        {
            return 0;
        }

        var quantity = Reservations[existing].Quantity;
        Reservations.RemoveAt(existing);
        OnHand -= quantity;
        return quantity;
    }

    /// <summary>Gives the job's reservation back to stock.</summary>
    public void Release(string jobId) => Reservations.RemoveAll(r => string.Equals(r.JobId, jobId, StringComparison.Ordinal));

    /// <summary>
    /// When what is available, less <paramref name="waitingDemand"/> (what blocked jobs still need here but could not
    /// reserve), falls to the reorder level or below: enough to reach twice the level (at least one).
    /// </summary>
    public PurchaseOrderSuggestion? ReorderSuggestion(int waitingDemand = 0) =>
        SuggestionFor(Sku, Location, Available - Math.Max(0, waitingDemand), ReorderLevel);

    /// <summary>The same rule for a part nobody has counted yet (no stock document): order what is waited for.</summary>
    public static PurchaseOrderSuggestion? ReorderSuggestionForUnstocked(string sku, string location, int waitingDemand) =>
        waitingDemand > 0 ? SuggestionFor(sku, location, -waitingDemand, 0) : null;

    private static PurchaseOrderSuggestion? SuggestionFor(string sku, string location, int available, int reorderLevel) =>
        available <= reorderLevel ? new PurchaseOrderSuggestion(sku, location, Math.Max(1, (2 * reorderLevel) - available)) : null;
}
