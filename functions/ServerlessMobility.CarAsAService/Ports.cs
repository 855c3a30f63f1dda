using ServerlessMobility.CarAsAService.Orders;
using ServerlessMobility.CarAsAService.Payments;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService;

public sealed record PaymentIntentRequest(string IdempotencyKey, string TenantId, string OrderId, PaymentPurpose Purpose, Money Amount);

public sealed record PaymentIntent(string ProviderPaymentId, Uri? CheckoutUrl = null);

/// <summary>The payment provider; its outcome arrives later by signed webhook.</summary>
public interface IPaymentProvider
{
    Task<PaymentIntent> CreateIntentAsync(PaymentIntentRequest request, CancellationToken cancellationToken);

    Task RefundAsync(string providerPaymentId, Money amount, string idempotencyKey, CancellationToken cancellationToken);
}

public sealed record FactoryOrderRequest(string OrderId, string TenantId, string ModelId, IReadOnlyList<string> Packs, string Country);

public sealed record FactoryOrderResult(bool Accepted, string? FactoryOrderId, string? RejectionReason = null);

/// <summary>The factory's ordering API: synchronous accept/reject; manufacturing progress comes by webhook.</summary>
public interface IFactory
{
    Task<FactoryOrderResult> PlaceOrderAsync(FactoryOrderRequest request, CancellationToken cancellationToken);
}

/// <param name="TenantId">The dealership: order ids are unique only within one, so the request's idempotency key carries it.</param>
public sealed record RegistrationRequest(string OrderId, string TenantId, string Country, string Vin, string OwnerCustomerId, string OwnerName)
{
    public string IdempotencyKey => $"{TenantId}:{OrderId}";
}

/// <summary>The vehicle registration authority of a country; slow and sometimes failing (retry policy).</summary>
public interface IRegistrationOffice
{
    /// <returns>The plate number. The same order of the same dealership always yields the same plate (idempotent).</returns>
    Task<string> RegisterAsync(RegistrationRequest request, CancellationToken cancellationToken);
}

/// <param name="Kind">The template family (Notifications/Templates); a kind without templates shows <paramref name="Message"/>.</param>
/// <param name="Message">The English text, kept for kinds without templates of their own.</param>
/// <param name="IdempotencyKey">The event id: the same key never reaches the customer twice on a channel.</param>
/// <param name="Data">The values the kind's templates show.</param>
/// <param name="Documents">Documents to attach (an invoice).</param>
public sealed record CustomerNotification(string TenantId, string CustomerId, string Kind, string Message, string IdempotencyKey,
    IReadOnlyDictionary<string, string>? Data = null, IReadOnlyList<Platform.Notifications.NotificationDocument>? Documents = null);

/// <summary>Car-as-a-Service's way to reach a customer: a thin adapter onto the shared notifications capability (CaasCustomerNotifier).</summary>
public interface ICustomerNotifier
{
    Task NotifyAsync(CustomerNotification notification, CancellationToken cancellationToken);
}

/// <summary>Documents (invoices, registration certificates) as blobs, addressed by path.</summary>
public interface IDocumentStore
{
    Task PutAsync(string path, string contentType, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    Task<byte[]?> GetAsync(string path, CancellationToken cancellationToken);
}

/// <param name="Outcome">What the first processing did (see Payments.WebhookOutcomes), when it was recorded.</param>
public sealed record WebhookReceipt(string BlobPath, bool AlreadyProcessed, string? Outcome = null);

/// <summary>
/// Raw webhook bodies, stored before processing so a failure loses nothing; an event counts as a
/// duplicate only once its processing finished.
/// </summary>
public interface IWebhookInbox
{
    Task<WebhookReceipt> StoreAsync(string provider, string eventId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    Task MarkProcessedAsync(string provider, string eventId, string? outcome, CancellationToken cancellationToken);
}

/// <summary>Well-known ids of the Car-as-a-Service collections and blob layout.</summary>
public static class CaasStores
{
    public const string Orders = "caas-orders";
    public const string Customers = "caas-customers";
    public const string Vehicles = "caas-vehicles";
    public const string Payments = "caas-payments";
    public const string Models = "caas-models";
    public const string Features = "caas-features";
    public const string FeatureSubscriptions = "caas-feature-subscriptions";
    public const string FeatureSlots = "caas-feature-slots";
    public const string FeatureInvoices = "caas-feature-invoices";
    public const string LatePayments = "caas-late-payments";
    public const string DocumentsContainer = "caas-documents";
    public const string WebhooksContainer = "caas-webhooks";

    public static string InvoicePath(Order order, string extension)
    {
        ArgumentNullException.ThrowIfNull(order);
        return $"{order.TenantId}/orders/{order.Id}/invoice.{extension}";
    }
}
