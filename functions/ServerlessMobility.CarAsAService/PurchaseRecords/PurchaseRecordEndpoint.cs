using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using ServerlessMobility.CarAsAService.Customers;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.CarAsAService.Payments;
using ServerlessMobility.CarAsAService.Vehicles;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.PurchaseRecords;

public static class PurchaseRecordEndpoint
{
    public static async Task<Ok<PurchaseRecord>> GetAsync(string id, HttpContext http,
        [FromServices] ITenantRepository<Customer> customers, [FromServices] ITenantRepository<Order> orders,
        [FromServices] ITenantRepository<Payment> payments, [FromServices] ITenantRepository<Vehicle> vehicles,
        [FromServices] ITenantRepository<FeatureSubscription> features, [FromServices] ITenantRepository<FeatureInvoice> featureInvoices,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = CurrentUser.FromPrincipal(http.User);
        var isSelf = string.Equals(user.Subject, id, StringComparison.Ordinal);
        var isStaff = user.IsInRole(PlatformRoles.DealerStaff) || user.IsInRole(PlatformRoles.DealerAdmin);
        if (!isSelf && !isStaff)
        {
            // Another customer's record: answer as if it did not exist.
            throw new ResourceNotFoundException("Customer", id);
        }

        var record = await BuildAsync(user.TenantId, id, new PurchaseRecordSources(customers, orders, payments, vehicles, features, featureInvoices), cancellationToken);
        return TypedResults.Ok(record);
    }

    public static async Task<PurchaseRecord> BuildAsync(string tenantId, string customerId, PurchaseRecordSources sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _ = await sources.Customers.GetAsync(tenantId, customerId, cancellationToken) ?? throw new ResourceNotFoundException("Customer", customerId);
        var customerOrders = await sources.Orders.QueryAsync(tenantId, "customerId", customerId, cancellationToken);
        var customerPayments = await sources.Payments.QueryAsync(tenantId, "customerId", customerId, cancellationToken);
        var customerVehicles = await sources.Vehicles.QueryAsync(tenantId, "customerId", customerId, cancellationToken);
        var customerFeatures = await sources.Features.QueryAsync(tenantId, "customerId", customerId, cancellationToken);
        var customerFeatureInvoices = await sources.FeatureInvoices.QueryAsync(tenantId, "customerId", customerId, cancellationToken);
        var documents = new List<PurchaseDocument>();
        foreach (var order in customerOrders.OrderBy(o => o.CreatedAt))
        {
            documents.AddRange(order.InvoiceBlobs.Select(path => new PurchaseDocument("invoice", Path.GetFileName(path), path, order.Id)));
            if (order.PlateNumber is not null)
            {
                documents.Add(new PurchaseDocument("registration", "registration.json", $"{tenantId}/orders/{order.Id}/registration.json", order.Id));
            }

            if (order.Status == OrderStatus.Completed)
            {
                documents.Add(new PurchaseDocument("manual", $"{order.ModelId} owner's manual", $"manuals/{order.ModelId}.html", order.Id));
            }
        }

        var featureInvoices = customerFeatureInvoices.OrderBy(i => i.PeriodStart).ThenBy(i => i.Currency, StringComparer.Ordinal).ToList();
        foreach (var invoice in featureInvoices)
        {
            documents.AddRange(invoice.DocumentPaths.Select(path => new PurchaseDocument("feature-invoice", Path.GetFileName(path), path)));
        }

        return new PurchaseRecord(customerId, tenantId, [.. customerOrders.OrderBy(o => o.CreatedAt)], customerPayments, customerVehicles, documents,
            [.. customerFeatures.OrderBy(f => f.RequestedAt)], featureInvoices);
    }
}

/// <summary>The stores a purchase record is assembled from.</summary>
public sealed record PurchaseRecordSources(
    ITenantRepository<Customer> Customers,
    ITenantRepository<Order> Orders,
    ITenantRepository<Payment> Payments,
    ITenantRepository<Vehicle> Vehicles,
    ITenantRepository<FeatureSubscription> Features,
    ITenantRepository<FeatureInvoice> FeatureInvoices);
