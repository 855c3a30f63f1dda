using System.Globalization;
using System.Text.Json;
using ServerlessMobility.CarAsAService.Customers;
using ServerlessMobility.CarAsAService.Payments;
using ServerlessMobility.CarAsAService.Vehicles;
using ServerlessMobility.Platform.Http;
using Microsoft.DurableTask;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Vehicles;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Orders;

/// <summary>Activity names: the registry and the Azure Functions bindings use exactly these.</summary>
public static class CaasActivities
{
    public const string CreatePaymentIntent = "Caas_CreatePaymentIntent";
    public const string RecordPaymentOutcome = "Caas_RecordPaymentOutcome";
    public const string RefundPayment = "Caas_RefundPayment";
    public const string PlaceFactoryOrder = "Caas_PlaceFactoryOrder";
    public const string ApplyManufacturingStatus = "Caas_ApplyManufacturingStatus";
    public const string SendPaymentReminder = "Caas_SendPaymentReminder";
    public const string ReturnVehicleToStock = "Caas_ReturnVehicleToStock";
    public const string AssignVehicle = "Caas_AssignVehicle";
    public const string RegisterVehicle = "Caas_RegisterVehicle";
    public const string ProposeDelivery = "Caas_ProposeDelivery";
    public const string IssueInvoice = "Caas_IssueInvoice";
    public const string CompleteOrder = "Caas_CompleteOrder";
    public const string CancelOrder = "Caas_CancelOrder";
}

/// <summary>
/// Read-modify-write of one document under its ETag. A conflict means someone else wrote in between:
/// reading again and reapplying the (idempotent) change is always correct for activities.
/// </summary>
public static class RepositoryUpdates
{
    /// <summary><see cref="OptimisticUpdates.UpdateUnderETagAsync{T, TResult}"/> for immutable documents: <paramref name="change"/> returns the same instance when nothing changes.</summary>
    public static async Task<T> UpdateAsync<T>(this ITenantRepository<T> repository, string tenantId, string id, Func<T, T> change, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(change);
        var (stored, _) = await repository.UpdateUnderETagAsync(tenantId, id, current =>
        {
            var changed = change(current);
            return (ReferenceEquals(changed, current) ? null : changed, true);
        }, typeof(T).Name, cancellationToken: cancellationToken);
        return stored.Value;
    }

    public static async Task<T> GetRequiredAsync<T>(this ITenantRepository<T> repository, string tenantId, string id, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(repository);
        return (await repository.GetAsync(tenantId, id, cancellationToken) ?? throw new ResourceNotFoundException(typeof(T).Name, id)).Value;
    }
}

public static class PaymentIds
{
    /// <summary>The payment's id within its tenant's documents.</summary>
    public static string For(string orderId, PaymentPurpose purpose) => $"{orderId}-{purpose.ToString().ToLowerInvariant()}";

    /// <summary>
    /// The provider's idempotency key of a payment: order ids are unique only within a dealership, and one
    /// provider account serves every dealership, so the key carries the tenant (as the factory's does).
    /// Without it, two dealerships' orders with the same id would get the first one's intent back.
    /// </summary>
    public static string IdempotencyKey(string tenantId, string paymentId) => $"{tenantId}:{paymentId}";
}

public sealed class CreatePaymentIntentActivity(ITenantRepository<Order> orders, ITenantRepository<Payment> payments, IPaymentProvider provider, TimeProvider time)
    : TaskActivity<PaymentRequestInput, PaymentIntent>
{
    public override async Task<PaymentIntent> RunAsync(TaskActivityContext context, PaymentRequestInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (tenantId, orderId) = input.Order;
        var id = PaymentIds.For(orderId, input.Purpose);
        var existing = await payments.GetAsync(tenantId, id, CancellationToken.None);
        if (existing is not null)
        {
            return new PaymentIntent(existing.Value.ProviderPaymentId);
        }

        var order = await orders.GetRequiredAsync(tenantId, orderId, CancellationToken.None);
        var amount = input.Purpose == PaymentPurpose.Deposit ? order.Deposit : order.FinalAmount;

        // The tenant and payment id are the provider's idempotency key, so a retried activity gets the same intent.
        var intent = await provider.CreateIntentAsync(new PaymentIntentRequest(PaymentIds.IdempotencyKey(tenantId, id), tenantId, orderId, input.Purpose, amount), CancellationToken.None);
        var payment = new Payment
        {
            Id = id,
            TenantId = tenantId,
            OrderId = orderId,
            CustomerId = order.CustomerId,
            Purpose = input.Purpose,
            Amount = amount,
            Status = PaymentStatus.Pending,
            ProviderPaymentId = intent.ProviderPaymentId,
            CreatedAt = time.GetUtcNow(),
        };
        try
        {
            await payments.CreateAsync(tenantId, id, payment, CancellationToken.None);
        }
        catch (ConflictException)
        {
            // A previous attempt stored it already.
        }

        await orders.UpdateAsync(tenantId, orderId, o => input.Purpose == PaymentPurpose.Deposit
            ? (o.DepositPaymentId == id ? o : o with { DepositPaymentId = id })
            : (o.FinalPaymentId == id && o.Status == OrderStatus.AwaitingFinalPayment ? o : o.MoveTo(OrderStatus.AwaitingFinalPayment, time.GetUtcNow()) with { FinalPaymentId = id }), CancellationToken.None);
        return intent;
    }
}

public sealed class RecordPaymentOutcomeActivity(ITenantRepository<Order> orders, ITenantRepository<Payment> payments, ICustomerNotifier notifier, TimeProvider time)
    : TaskActivity<PaymentOutcomeInput, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, PaymentOutcomeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (tenantId, orderId) = input.Order;
        var status = input.Outcome.Succeeded ? PaymentStatus.Succeeded : PaymentStatus.Failed;
        await payments.UpdateAsync(tenantId, PaymentIds.For(orderId, input.Purpose),
            p => p.Status is PaymentStatus.Pending ? p with { Status = status, SettledByPaymentId = input.Outcome.Succeeded ? input.Outcome.ProviderPaymentId : null } : p, CancellationToken.None);
        if (input.Outcome.Succeeded)
        {
            var next = input.Purpose == PaymentPurpose.Deposit ? OrderStatus.DepositPaid : OrderStatus.FullyPaid;
            var order = await orders.UpdateAsync(tenantId, orderId, o => o.Status >= next ? o : o.MoveTo(next, time.GetUtcNow()), CancellationToken.None);
            if (input.Purpose == PaymentPurpose.Deposit)
            {
                await notifier.NotifyAsync(new CustomerNotification(tenantId, order.CustomerId, "deposit-received",
                    $"We received your deposit of {order.Deposit.Display()} for order {orderId}.", $"{orderId}-deposit-received",
                    new Dictionary<string, string> { ["order_id"] = orderId, ["amount"] = order.Deposit.Display() }), CancellationToken.None);
            }
        }

        return Unit.Value;
    }
}

public sealed class RefundPaymentActivity(ITenantRepository<Payment> payments, IPaymentProvider provider)
    : TaskActivity<PaymentRequestInput, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, PaymentRequestInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var id = PaymentIds.For(input.Order.OrderId, input.Purpose);
        var payment = await payments.GetRequiredAsync(input.Order.TenantId, id, CancellationToken.None);
        if (payment.Status != PaymentStatus.Succeeded)
        {
            return Unit.Value;
        }

        await provider.RefundAsync(payment.ProviderPaymentId, payment.Amount, PaymentIds.IdempotencyKey(input.Order.TenantId, id + "-refund"), CancellationToken.None);
        await payments.UpdateAsync(input.Order.TenantId, id, p => p with { Status = PaymentStatus.Refunded }, CancellationToken.None);
        return Unit.Value;
    }
}

public sealed class PlaceFactoryOrderActivity(ITenantRepository<Order> orders, IFactory factory, TimeProvider time)
    : TaskActivity<OrderRef, FactoryOrderResult>
{
    public override async Task<FactoryOrderResult> RunAsync(TaskActivityContext context, OrderRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await orders.GetRequiredAsync(input.TenantId, input.OrderId, CancellationToken.None);
        if (order.FactoryOrderId is not null)
        {
            return new FactoryOrderResult(true, order.FactoryOrderId);
        }

        var result = await factory.PlaceOrderAsync(new FactoryOrderRequest(order.Id, order.TenantId, order.ModelId, order.Packs, order.Country), CancellationToken.None);
        if (result.Accepted)
        {
            await orders.UpdateAsync(input.TenantId, input.OrderId,
                o => o.FactoryOrderId is not null ? o : o.MoveTo(OrderStatus.FactoryOrdered, time.GetUtcNow()) with { FactoryOrderId = result.FactoryOrderId }, CancellationToken.None);
        }

        return result;
    }
}

public sealed class ApplyManufacturingStatusActivity(ITenantRepository<Order> orders, ITenantRepository<Vehicle> vehicles, ICustomerNotifier notifier, TimeProvider time)
    : TaskActivity<ManufacturingStatusInput, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, ManufacturingStatusInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (tenantId, orderId) = input.Order;
        var stage = input.Status.Stage;
        var order = await orders.UpdateAsync(tenantId, orderId, o => o.ApplyManufacturingStage(stage, time.GetUtcNow()), CancellationToken.None);
        if (stage == ManufacturingStage.ReadyForDelivery)
        {
            var vin = input.Status.Vin ?? order.Vin ?? throw new BusinessRuleException("vin-on-ready", "A ready_for_delivery status must carry the VIN.");
            var vehicle = new Vehicle { Vin = vin, TenantId = tenantId, ModelId = order.ModelId, Status = StockStatus.Unassigned, ReservedForOrderId = orderId };
            try
            {
                await vehicles.CreateAsync(tenantId, vin, vehicle, CancellationToken.None);
            }
            catch (ConflictException)
            {
                await vehicles.UpdateAsync(tenantId, vin, v => v.ReserveFor(orderId), CancellationToken.None);
            }

            await orders.UpdateAsync(tenantId, orderId, o => o.Vin == vin ? o : o with { Vin = vin }, CancellationToken.None);
        }

        var ready = stage == ManufacturingStage.ReadyForDelivery;
        await notifier.NotifyAsync(new CustomerNotification(tenantId, order.CustomerId, ready ? "vehicle-ready" : "manufacturing-status",
            $"Your vehicle order {orderId} is now: {stage}.", $"{orderId}-{stage}",
            new Dictionary<string, string> { ["order_id"] = orderId, ["stage"] = stage.ToString(), ["amount_due"] = order.FinalAmount.Display() }), CancellationToken.None);
        return Unit.Value;
    }
}

public sealed class SendPaymentReminderActivity(ITenantRepository<Order> orders, ICustomerNotifier notifier)
    : TaskActivity<ReminderInput, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, ReminderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await orders.GetRequiredAsync(input.Order.TenantId, input.Order.OrderId, CancellationToken.None);
        await notifier.NotifyAsync(new CustomerNotification(order.TenantId, order.CustomerId, "final-payment-reminder",
            string.Create(CultureInfo.InvariantCulture, $"Reminder {input.Number}: your vehicle is ready; please pay {order.FinalAmount.Amount} {order.FinalAmount.Currency}."),
            $"{order.Id}-reminder-{input.Number}",
            new Dictionary<string, string> { ["order_id"] = order.Id, ["amount_due"] = order.FinalAmount.Display() }), CancellationToken.None);
        return Unit.Value;
    }
}

public sealed class ReturnVehicleToStockActivity(ITenantRepository<Order> orders, ITenantRepository<Vehicle> vehicles)
    : TaskActivity<OrderRef, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, OrderRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await orders.GetRequiredAsync(input.TenantId, input.OrderId, CancellationToken.None);
        if (order.Vin is not null)
        {
            await vehicles.UpdateAsync(input.TenantId, order.Vin,
                v => v.ReservedForOrderId == input.OrderId ? v.ReturnToStock() : v, CancellationToken.None);
        }

        return Unit.Value;
    }
}

/// <summary>
/// Assigns the built vehicle to the buyer and records the buyer as its owner in the connected-vehicle
/// registry, so the owner sees its telemetry and can buy over-the-air features without a manual step.
/// </summary>
public sealed class AssignVehicleActivity(ITenantRepository<Order> orders, ITenantRepository<Vehicle> vehicles, IVehicleRegistry registry, TimeProvider time)
    : TaskActivity<OrderRef, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, OrderRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await orders.GetRequiredAsync(input.TenantId, input.OrderId, CancellationToken.None);
        var vin = order.Vin ?? throw new BusinessRuleException("vin-known", $"Order {order.Id} has no vehicle yet.");
        await vehicles.UpdateAsync(input.TenantId, vin, v => v.AssignTo(order.CustomerId, order.Id), CancellationToken.None);

        // A VIN another dealership already registered stays theirs (docs/security.md): the sale still completes.
        var connected = await registry.GetAsync(vin, CancellationToken.None);
        if (connected is null || connected.TenantId == input.TenantId)
        {
            await registry.UpsertAsync(new VehicleRegistration(vin, input.TenantId, order.CustomerId, order.ModelId, connected?.RegisteredAt ?? time.GetUtcNow()), CancellationToken.None);
        }

        return Unit.Value;
    }
}

public sealed class RegisterVehicleActivity(ITenantRepository<Order> orders, ITenantRepository<Vehicle> vehicles, ITenantRepository<Customer> customers,
    IRegistrationOffice office, IDocumentStore documents, TimeProvider time)
    : TaskActivity<OrderRef, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, OrderRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await orders.GetRequiredAsync(input.TenantId, input.OrderId, CancellationToken.None);
        if (order.PlateNumber is not null)
        {
            return order.PlateNumber;
        }

        var vin = order.Vin ?? throw new BusinessRuleException("vin-known", $"Order {order.Id} has no vehicle yet.");
        var customer = await customers.GetRequiredAsync(input.TenantId, order.CustomerId, CancellationToken.None);
        var plate = await office.RegisterAsync(new RegistrationRequest(order.Id, order.TenantId, order.Country, vin, customer.Id, customer.Name), CancellationToken.None);
        await vehicles.UpdateAsync(input.TenantId, vin, v => v.Register(plate), CancellationToken.None);
        await documents.PutAsync($"{order.TenantId}/orders/{order.Id}/registration.json", "application/json",
            JsonSerializer.SerializeToUtf8Bytes(new { order.Id, vin, plate, order.Country, owner = customer.Id, registeredAt = time.GetUtcNow() }), CancellationToken.None);
        await orders.UpdateAsync(input.TenantId, input.OrderId,
            o => o.PlateNumber is not null ? o : o.MoveTo(OrderStatus.Registered, time.GetUtcNow(), plate) with { PlateNumber = plate }, CancellationToken.None);
        return plate;
    }
}

public sealed class ProposeDeliveryActivity(ITenantRepository<Order> orders, ICustomerNotifier notifier, TimeProvider time)
    : TaskActivity<OrderRef, DateTimeOffset>
{
    public override async Task<DateTimeOffset> RunAsync(TaskActivityContext context, OrderRef input)
    {
        ArgumentNullException.ThrowIfNull(input);

        // Three days ahead at 10:00 UTC gives the dealership time to prepare the handover.
        var proposed = new DateTimeOffset(time.GetUtcNow().UtcDateTime.Date.AddDays(3).AddHours(10), TimeSpan.Zero);
        var order = await orders.UpdateAsync(input.TenantId, input.OrderId,
            o => o.DeliveryAppointment is not null ? o : o with { DeliveryAppointment = proposed }, CancellationToken.None);
        await notifier.NotifyAsync(new CustomerNotification(order.TenantId, order.CustomerId, "delivery-appointment",
            string.Create(CultureInfo.InvariantCulture, $"Your vehicle {order.PlateNumber} can be collected on {order.DeliveryAppointment:u}."), $"{order.Id}-delivery",
            new Dictionary<string, string>
            {
                ["order_id"] = order.Id, ["plate"] = order.PlateNumber ?? string.Empty,
                ["appointment"] = order.DeliveryAppointment!.Value.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            }), CancellationToken.None);
        return order.DeliveryAppointment!.Value;
    }
}

/// <summary>
/// The order's invoice: a JSON record for systems and a PDF document (issued once, hash in the audit ledger)
/// e-mailed to the customer as an attachment.
/// </summary>
public sealed class IssueInvoiceActivity(ITenantRepository<Order> orders, ITenantRepository<Customer> customers, IDocumentStore documents,
    Platform.Documents.DocumentIssuer issuer, ICustomerNotifier notifier, TimeProvider time)
    : TaskActivity<OrderRef, IReadOnlyList<string>>
{
    public static string DocumentIdFor(string orderId) => "order-invoice-" + orderId;

    public override async Task<IReadOnlyList<string>> RunAsync(TaskActivityContext context, OrderRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await orders.GetRequiredAsync(input.TenantId, input.OrderId, CancellationToken.None);
        var customer = await customers.GetRequiredAsync(input.TenantId, order.CustomerId, CancellationToken.None);
        var invoice = Invoice.For(order, customer, time.GetUtcNow());
        var jsonPath = CaasStores.InvoicePath(order, "json");

        // Overwriting with the same content is harmless, which makes the record idempotent; the PDF is issued once.
        await documents.PutAsync(jsonPath, "application/json", JsonSerializer.SerializeToUtf8Bytes(invoice, InvoiceJson), CancellationToken.None);
        var fileName = $"invoice-{order.Id}.pdf";
        var pdf = await issuer.IssueAsync(new Platform.Documents.IssueDocumentRequest(order.TenantId, DocumentIdFor(order.Id), customer.Id,
            invoice.ToDocument(Platform.Notifications.CountryLanguages.For(customer.Country) ?? "en", customer, order.Country), fileName), CancellationToken.None);
        await orders.UpdateAsync(input.TenantId, input.OrderId,
            o => o.InvoiceBlobs.Count > 0 && o.InvoiceDocumentId is not null ? o : o with { InvoiceBlobs = [jsonPath], InvoiceDocumentId = pdf.DocumentId }, CancellationToken.None);
        await notifier.NotifyAsync(new CustomerNotification(order.TenantId, order.CustomerId, "order-invoice",
            $"Your invoice {invoice.Number} for order {order.Id} is attached.", $"{order.Id}-invoice",
            new Dictionary<string, string> { ["order_id"] = order.Id, ["invoice_number"] = invoice.Number, ["total"] = order.Price.Gross.Display() },
            [new Platform.Notifications.NotificationDocument(pdf.DocumentId, pdf.Version, fileName)]), CancellationToken.None);
        return [jsonPath, $"documents/{pdf.DocumentId}/v{pdf.Version}"];
    }

    private static readonly JsonSerializerOptions InvoiceJson = new(JsonSerializerDefaults.Web);
}

public sealed class CompleteOrderActivity(ITenantRepository<Order> orders, ICustomerNotifier notifier, TimeProvider time)
    : TaskActivity<OrderRef, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, OrderRef input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await orders.UpdateAsync(input.TenantId, input.OrderId, o => o.MoveTo(OrderStatus.Completed, time.GetUtcNow()), CancellationToken.None);
        await notifier.NotifyAsync(new CustomerNotification(order.TenantId, order.CustomerId, "order-delivered",
            $"Your order {order.Id} is complete.", $"{order.Id}-completed", new Dictionary<string, string> { ["order_id"] = order.Id }), CancellationToken.None);
        return Unit.Value;
    }
}

public sealed class CancelOrderActivity(ITenantRepository<Order> orders, ICustomerNotifier notifier, TimeProvider time)
    : TaskActivity<CancelOrderInput, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, CancelOrderInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var order = await orders.UpdateAsync(input.Order.TenantId, input.Order.OrderId, o => o.Cancel(input.Reason, time.GetUtcNow()), CancellationToken.None);
        await notifier.NotifyAsync(new CustomerNotification(order.TenantId, order.CustomerId, "order-cancelled",
            $"Your order {order.Id} was cancelled ({input.Reason}).", $"{order.Id}-cancelled",
            new Dictionary<string, string> { ["order_id"] = order.Id, ["reason"] = input.Reason }), CancellationToken.None);
        return Unit.Value;
    }
}

/// <summary>The invoice record; its PDF rendering (<see cref="ToDocument"/>) is what the customer receives.</summary>
public sealed record Invoice(string Number, string OrderId, string CustomerName, string ModelId, IReadOnlyList<string> Packs,
    Catalog.PriceBreakdown Price, Money Deposit, Money Final, DateTimeOffset IssuedAt)
{
    public static Invoice For(Order order, Customer customer, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(customer);
        return new Invoice("INV-" + order.Id, order.Id, customer.Name, order.ModelId, order.Packs, order.Price, order.Deposit, order.FinalAmount, now);
    }

    /// <summary>The invoice as a document in the customer's language; the renderer adds the tenant's legal details and the country's tax lines.</summary>
    public Platform.Documents.DocumentContent ToDocument(string language, Customer customer, string country)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var description = Packs.Count == 0 ? ModelId : $"{ModelId} ({string.Join(", ", Packs)})";
        return new Platform.Documents.DocumentContent("invoice", Number, language, country, Price.Gross.Currency, IssuedAt,
            new Platform.Documents.DocumentParty(CustomerName, [customer.Email, customer.Country]),
            [new Platform.Documents.DocumentLine(description, Price.Net.Amount, Price.VatRate)],
            [new Platform.Documents.DocumentAmount("depositPaid", Deposit.Amount), new Platform.Documents.DocumentAmount("balanceDue", Final.Amount)],
            Reference: OrderId);
    }
}
