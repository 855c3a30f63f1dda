using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.CarAsAService.Payments;
using ServerlessMobility.CarAsAService.Vehicles;

namespace ServerlessMobility.CarAsAService.PurchaseRecords;

public sealed record PurchaseDocument(string Kind, string Name, string BlobPath, string? OrderId = null);

/// <summary>
/// The customer's purchase record ("expediente"): one view over orders, payments, vehicles and
/// documents, assembled on read from the stores that own them, so it can never drift from them.
/// </summary>
public sealed record PurchaseRecord(
    string CustomerId,
    string TenantId,
    IReadOnlyList<Order> Orders,
    IReadOnlyList<Payment> Payments,
    IReadOnlyList<Vehicle> Vehicles,
    IReadOnlyList<PurchaseDocument> Documents,
    IReadOnlyList<FeatureSubscription> Features,
    IReadOnlyList<FeatureInvoice> FeatureInvoices);
