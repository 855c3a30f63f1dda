using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using ServerlessMobility.CarAsAService.Catalog;
using ServerlessMobility.CarAsAService.Customers;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.Platform.Workflows.Management;
using ServerlessMobility.Platform.Persistence;

namespace ServerlessMobility.CarAsAService.Orders;

/// <summary>A new customer: the account is created with this name and e-mail (required when no customerId is given).</summary>
public sealed record CustomerData(
    [property: Required, StringLength(OrderEndpoints.MaxNameLength), RegularExpression(InputFormats.Text)] string? Name,
    [property: Required, StringLength(InputFormats.MaxEmailLength), RegularExpression(InputFormats.Email)] string? Email);

/// <param name="OrderId">Optional: a client-chosen id makes the registration safely repeatable.</param>
/// <param name="Customer">The new customer; give either customer or customerId.</param>
/// <param name="CustomerId">An existing customer of the dealership; give either customer or customerId.</param>
public sealed record RegisterSaleRequest(
    [property: StringLength(OrderEndpoints.MaxOrderIdLength, MinimumLength = 1), RegularExpression(OrderEndpoints.OrderIdPattern)] string? OrderId,
    CustomerData? Customer,
    string? CustomerId,
    [property: Required, StringLength(OrderEndpoints.MaxModelIdLength), RegularExpression(InputFormats.Text)] string? ModelId,
    IReadOnlyList<string>? Packs,
    [property: Required, RegularExpression(InputFormats.CountryCode)] string? Country);

public sealed record OrderResponse(Order Order, string StatusQueryGetUri);

public sealed record OrderPage(IReadOnlyList<Order> Items, int Page, int PageSize, int Total);

/// <param name="Appointment">A future date and time.</param>
public sealed record RescheduleDeliveryRequest([property: Required] DateTimeOffset? Appointment);

/// <summary>Sale registration and order queries, all within the caller's dealership (tenant from the token).</summary>
public static class OrderEndpoints
{
    public const int PageSize = 20;

    public const int MaxOrderIdLength = 64;

    /// <summary>Order ids become workflow instance ids and storage keys: letters, digits and '-' only.</summary>
    public const string OrderIdPattern = "^[A-Za-z0-9-]+$";

    public const int MaxNameLength = 200;

    public const int MaxModelIdLength = 100;

    /// <summary>Fraction of the gross price taken as the reservation deposit.</summary>
    public const decimal DepositRate = 0.10m;

    public static RouteGroupBuilder MapCarAsAServiceOrders(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/orders", RegisterSaleAsync).WithName("RegisterSale").WithTags("Car-as-a-Service").RequireRoles(PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin);
        api.MapGet("/orders/{id}", GetOrderAsync).WithName("GetOrder").WithTags("Car-as-a-Service").RequireRoles(PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin, PlatformRoles.Customer);
        api.MapGet("/orders", ListOrdersAsync).WithName("ListOrders").WithTags("Car-as-a-Service").RequireRoles(PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin, PlatformRoles.Customer);
        api.MapPut("/orders/{id}/delivery-appointment", RescheduleDeliveryAsync).WithName("RescheduleDelivery").WithTags("Car-as-a-Service").RequireRoles(PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin);
        api.MapGet("/customers/{id}/purchase-record", PurchaseRecords.PurchaseRecordEndpoint.GetAsync)
            .WithTags("Car-as-a-Service").WithName("GetPurchaseRecord").RequireRoles(PlatformRoles.Customer, PlatformRoles.DealerStaff, PlatformRoles.DealerAdmin);
        return api;
    }

    public static async Task<Created<OrderResponse>> RegisterSaleAsync(
        RegisterSaleRequest request, HttpContext http,
        [FromServices] ITenantRepository<Order> orders, [FromServices] ITenantRepository<Customer> customers,
        [FromServices] ITenantRepository<VehicleModel> models, [FromServices] ICustomerNotifier notifier,
        [FromServices] DurableTaskClient workflows, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        var user = CurrentUser.FromPrincipal(http.User);
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var now = time.GetUtcNow();

        // A client-chosen order id makes the whole registration safely repeatable.
        var orderId = request.OrderId ?? Guid.NewGuid().ToString("N");
        var existing = await orders.GetAsync(user.TenantId, orderId, cancellationToken);
        Order order;
        if (existing is not null)
        {
            order = existing.Value;
        }
        else
        {
            var model = (await models.GetAsync(user.TenantId, request.ModelId!, cancellationToken))?.Value
                ?? throw new BusinessRuleException("model-exists", $"Model '{request.ModelId}' is not in this dealership's catalog.");
            var customer = await EnsureCustomerAsync(request, user.TenantId, model, customers, notifier, now, cancellationToken);
            order = Order.Register(orderId, user.TenantId, customer.Id, model, request.Country!, request.Packs ?? [], DepositRate, now);
            try
            {
                order = (await orders.CreateAsync(user.TenantId, orderId, order, cancellationToken)).Value;
            }
            catch (ConflictException)
            {
                order = await orders.GetRequiredAsync(user.TenantId, orderId, cancellationToken);
            }
        }

        // Sent again on a repeated registration (a crash before it went): the notifications capability sends it once.
        await notifier.NotifyAsync(new CustomerNotification(user.TenantId, order.CustomerId, "order-placed",
            $"Thank you for your order {orderId}.", $"{orderId}-placed",
            new Dictionary<string, string>
            {
                ["order_id"] = orderId, ["model"] = order.ModelId, ["total"] = order.Price.Gross.Display(), ["deposit"] = order.Deposit.Display(),
            }), cancellationToken);

        // A repeated registration returns the order as it is; it never restarts (or replaces) its workflow.
        var instanceId = OrderToDeliveryWorkflow.InstanceIdFor(user.TenantId, orderId);
        await workflows.StartOnceAsync(OrderToDeliveryWorkflow.Name, instanceId, new OrderRef(user.TenantId, orderId), cancellationToken);
        return TypedResults.Created($"/api/orders/{orderId}", new OrderResponse(order, WorkflowStatusEndpoints.StatusQueryUri(http.Request, instanceId)));
    }

    public static async Task<Ok<Order>> GetOrderAsync(string id, HttpContext http, [FromServices] ITenantRepository<Order> orders, [FromServices] TenantReadCache<Order> cache, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(cache);
        var user = CurrentUser.FromPrincipal(http.User);
        var order = await cache.GetAsync(user.TenantId, id, ct => orders.GetAsync(user.TenantId, id, ct)).WaitAsync(cancellationToken);
        if (order is null || (IsCustomerOnly(user) && !string.Equals(order.Value.CustomerId, user.Subject, StringComparison.Ordinal)))
        {
            // Another customer's order answers as one that does not exist.
            throw new ResourceNotFoundException("Order", id);
        }

        http.Response.Headers.ETag = order.ETag;
        return TypedResults.Ok(order.Value);
    }

    /// <summary>A customer token without a staff role: such callers see only their own orders.</summary>
    private static bool IsCustomerOnly(CurrentUser user) =>
        user.IsInRole(PlatformRoles.Customer) && !user.IsInRole(PlatformRoles.DealerStaff) && !user.IsInRole(PlatformRoles.DealerAdmin);

    public static async Task<Ok<OrderPage>> ListOrdersAsync(HttpContext http, [FromServices] ITenantRepository<Order> orders,
        string? status, [Range(Paging.FirstPage, int.MaxValue)] int? page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var user = CurrentUser.FromPrincipal(http.User);
        OrderStatus? filter = null;
        if (!string.IsNullOrEmpty(status))
        {
            filter = Enum.TryParse<OrderStatus>(status, ignoreCase: true, out var parsed)
                ? parsed
                : throw RequestValidationException.For("status", $"One of: {string.Join(", ", Enum.GetNames<OrderStatus>())}.");
        }

        var number = Paging.PageNumber(page);

        IReadOnlyList<Order> all;
        if (IsCustomerOnly(user))
        {
            var own = await orders.QueryAsync(user.TenantId, "customerId", user.Subject, cancellationToken);
            all = filter is null ? own : [.. own.Where(o => o.Status == filter)];
        }
        else
        {
            all = await orders.QueryAsync(user.TenantId, filter is null ? null : "status", filter, cancellationToken);
        }

        var items = Paging.Slice(all.OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id, StringComparer.Ordinal), number, PageSize);
        return TypedResults.Ok(new OrderPage(items, number, PageSize, all.Count));
    }

    /// <summary>
    /// Staff move the handover. The If-Match header must carry the ETag of GET /api/orders/{id}: two
    /// people rescheduling from the same version must not silently overwrite each other (409).
    /// </summary>
    public static async Task<Ok<Order>> RescheduleDeliveryAsync(string id, RescheduleDeliveryRequest request, HttpContext http,
        [FromServices] ITenantRepository<Order> orders, [FromServices] TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(http);
        var user = CurrentUser.FromPrincipal(http.User);
        var eTag = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(eTag))
        {
            throw RequestValidationException.For("If-Match", "The ETag of the order is required.");
        }

        if (request.Appointment is not { } appointment || appointment <= time.GetUtcNow())
        {
            throw RequestValidationException.For("appointment", "A future date and time is required.");
        }

        var current = await orders.GetAsync(user.TenantId, id, cancellationToken) ?? throw new ResourceNotFoundException("Order", id);
        if (current.Value.IsTerminal && current.Value.Status != OrderStatus.Completed)
        {
            throw new BusinessRuleException("order-open", $"Order '{id}' is {current.Value.Status}.");
        }

        var updated = await orders.ReplaceAsync(user.TenantId, id, current.Value with { DeliveryAppointment = appointment.ToUniversalTime() }, eTag, cancellationToken);
        http.Response.Headers.ETag = updated.ETag;
        return TypedResults.Ok(updated.Value);
    }

    private static async Task<Customer> EnsureCustomerAsync(RegisterSaleRequest request, string tenantId, VehicleModel model,
        ITenantRepository<Customer> customers, ICustomerNotifier notifier, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _ = model;
        if (request.CustomerId is not null)
        {
            return await customers.GetRequiredAsync(tenantId, request.CustomerId, cancellationToken);
        }

        // The customer id is derived from the e-mail so a retried registration finds the same customer.
        var email = request.Customer!.Email!.Trim().ToLowerInvariant();
        var id = "cus-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tenantId + "/" + email)))[..16];
        var existing = await customers.GetAsync(tenantId, id, cancellationToken);
        if (existing is not null)
        {
            return existing.Value;
        }

        var customer = new Customer(id, tenantId, request.Customer.Name!.Trim(), email, request.Country!.ToUpperInvariant(), now);
        try
        {
            await customers.CreateAsync(tenantId, id, customer, cancellationToken);
        }
        catch (ConflictException)
        {
            return await customers.GetRequiredAsync(tenantId, id, cancellationToken);
        }

        await notifier.NotifyAsync(new CustomerNotification(tenantId, id, "account-created",
            $"Welcome {customer.Name}: sign in with {email} to follow your order.", id + "-welcome"), cancellationToken);
        return customer;
    }

    private static Dictionary<string, string[]> Validate(RegisterSaleRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.OrderId is not null && !InputFormats.Matches(request.OrderId, OrderIdPattern, 1, MaxOrderIdLength))
        {
            errors["orderId"] = [$"Letters, digits and '-' only, at most {MaxOrderIdLength}."];
        }

        if (request.CustomerId is null)
        {
            if (!InputFormats.IsText(request.Customer?.Name, MaxNameLength))
            {
                errors["customer.name"] = [$"A customer name (or customerId) is required: at most {MaxNameLength} characters, no control characters."];
            }

            if (!InputFormats.IsEmail(request.Customer?.Email))
            {
                errors["customer.email"] = [$"A valid e-mail address (at most {InputFormats.MaxEmailLength} characters) is required."];
            }
        }

        if (!InputFormats.IsText(request.ModelId, MaxModelIdLength))
        {
            errors["modelId"] = [$"A model is required (at most {MaxModelIdLength} characters)."];
        }

        if (!InputFormats.IsCountryCode(request.Country))
        {
            errors["country"] = ["An ISO 3166-1 alpha-2 country code is required."];
        }

        return errors;
    }
}
