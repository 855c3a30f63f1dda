using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessMobility.CarAsAService.Payments;
using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.CarAsAService.Orders;

public enum DepositPolicy
{
    /// <summary>The deposit goes back to the customer when the final payment never arrives.</summary>
    Refund,

    /// <summary>The dealership keeps the deposit (it covers the cost of the built vehicle).</summary>
    Retain,
}

public sealed class OrderToDeliveryOptions
{
    public const string SectionName = "CarAsAService:Workflow";

    public TimeSpan DepositTimeout { get; set; } = TimeSpan.FromHours(72);

    public TimeSpan FinalPaymentTimeout { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan FinalPaymentReminderInterval { get; set; } = TimeSpan.FromDays(3);

    public DepositPolicy DepositPolicyOnFinalPaymentFailure { get; set; } = DepositPolicy.Refund;

    public int RegistrationMaxAttempts { get; set; } = 5;

    public TimeSpan RegistrationFirstRetry { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Attempts at creating a payment intent before the order is cancelled as unpayable (the provider is down).</summary>
    public int PaymentIntentMaxAttempts { get; set; } = 4;

    /// <summary>The first wait between payment-intent attempts; each later wait doubles.</summary>
    public TimeSpan PaymentIntentFirstRetry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts at placing the factory order before the order is cancelled and the deposit refunded.</summary>
    public int FactoryOrderMaxAttempts { get; set; } = 3;

    /// <summary>The first wait between factory-order attempts; each later wait doubles.</summary>
    public TimeSpan FactoryOrderFirstRetry { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed record OrderRef(string TenantId, string OrderId);

public sealed record FactoryStatusEvent(string EventId, ManufacturingStage Stage, string? Vin = null);

public sealed record OrderProgress(OrderStatus Status, ManufacturingStage? Stage = null, string? Detail = null);

public sealed record OrderToDeliveryResult(OrderStatus Status, string? Reason = null, string? PlateNumber = null);

/// <summary>
/// One instance per order (<see cref="InstanceIdFor"/>): deposit, factory order, manufacturing,
/// final payment, registration, assignment and delivery, with a compensation for every way out.
/// </summary>
public sealed class OrderToDeliveryWorkflow(IOptions<OrderToDeliveryOptions> options)
    : TaskOrchestrator<OrderRef, OrderToDeliveryResult>
{
    public const string Name = "OrderToDelivery";
    public const string DepositPaymentEvent = "DepositPayment";
    public const string FinalPaymentEvent = "FinalPayment";
    public const string ManufacturingStatusEvent = "ManufacturingStatus";

    public static class Reasons
    {
        public const string DepositTimeout = "deposit-timeout";
        public const string DepositFailed = "deposit-failed";
        public const string FactoryRejected = "factory-rejected";
        public const string FinalPaymentTimeout = "final-payment-timeout";
        public const string FinalPaymentFailed = "final-payment-failed";
        public const string PaymentProviderUnavailable = "payment-provider-unavailable";
    }

    private readonly OrderToDeliveryOptions _options = options.Value;

    public static string InstanceIdFor(string tenantId, string orderId) => WorkflowInstanceIds.For(tenantId, "order", orderId);

    public override async Task<OrderToDeliveryResult> RunAsync(TaskOrchestrationContext context, OrderRef input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var log = context.CreateReplaySafeLogger<OrderToDeliveryWorkflow>();

        // 2. Reservation deposit.
        context.SetCustomStatus(new OrderProgress(OrderStatus.AwaitingDeposit));
        if (!await TryCreatePaymentIntentAsync(context, input, PaymentPurpose.Deposit))
        {
            return await CancelAsync(context, input, Reasons.PaymentProviderUnavailable);
        }

        PaymentOutcome deposit;
        try
        {
            deposit = await context.WaitForExternalEvent<PaymentOutcome>(DepositPaymentEvent, _options.DepositTimeout);
        }
        catch (TaskCanceledException)
        {
            return await CancelAsync(context, input, Reasons.DepositTimeout);
        }

        await context.CallActivityAsync<Unit>(CaasActivities.RecordPaymentOutcome, new PaymentOutcomeInput(input, PaymentPurpose.Deposit, deposit));
        if (!deposit.Succeeded)
        {
            return await CancelAsync(context, input, Reasons.DepositFailed);
        }

        // 3. Factory order; a rejection (or a factory that keeps failing) undoes the deposit.
        context.SetCustomStatus(new OrderProgress(OrderStatus.DepositPaid));
        FactoryOrderResult factory;
        try
        {
            factory = await context.CallActivityAsync<FactoryOrderResult>(CaasActivities.PlaceFactoryOrder, input,
                new RetryPolicy(_options.FactoryOrderMaxAttempts, _options.FactoryOrderFirstRetry, 2.0).Retry());
        }
        catch (TaskFailedException ex)
        {
            factory = new FactoryOrderResult(false, null, ex.FailureDetails.ErrorMessage);
        }

        if (!factory.Accepted)
        {
            log.LogInformation("Factory rejected order {OrderId}: {Reason}", input.OrderId, factory.RejectionReason);
            await context.CallActivityAsync<Unit>(CaasActivities.RefundPayment, new PaymentRequestInput(input, PaymentPurpose.Deposit));
            return await CancelAsync(context, input, Reasons.FactoryRejected);
        }

        // 4. Manufacturing: stages only move forward, so duplicates and late, older stages are ignored.
        context.SetCustomStatus(new OrderProgress(OrderStatus.FactoryOrdered));
        ManufacturingStage? stage = null;
        while (stage != ManufacturingStage.ReadyForDelivery)
        {
            var status = await context.WaitForExternalEvent<FactoryStatusEvent>(ManufacturingStatusEvent);
            if (status.Stage == ManufacturingStage.Rejected)
            {
                // The factory gave up on an order it had accepted: the same compensation as a rejection when placed.
                log.LogInformation("Factory rejected order {OrderId} after {Stage}", input.OrderId, stage);
                await context.CallActivityAsync<Unit>(CaasActivities.RefundPayment, new PaymentRequestInput(input, PaymentPurpose.Deposit));
                return await CancelAsync(context, input, Reasons.FactoryRejected);
            }

            if (stage is { } current && status.Stage <= current)
            {
                continue;
            }

            stage = status.Stage;
            await context.CallActivityAsync<Unit>(CaasActivities.ApplyManufacturingStatus, new ManufacturingStatusInput(input, status));
            context.SetCustomStatus(new OrderProgress(OrderStatus.InManufacturing, stage));
        }

        // 5. Final payment with reminders; on failure or timeout the vehicle goes back to stock.
        context.SetCustomStatus(new OrderProgress(OrderStatus.AwaitingFinalPayment, stage));
        if (!await TryCreatePaymentIntentAsync(context, input, PaymentPurpose.Final))
        {
            // Nobody could pay: the customer is not at fault, so the deposit goes back whatever the policy.
            await context.CallActivityAsync<Unit>(CaasActivities.ReturnVehicleToStock, input);
            await context.CallActivityAsync<Unit>(CaasActivities.RefundPayment, new PaymentRequestInput(input, PaymentPurpose.Deposit));
            return await CancelAsync(context, input, Reasons.PaymentProviderUnavailable);
        }

        var final = await WaitForFinalPaymentAsync(context, input);
        if (final is null || !final.Succeeded)
        {
            if (final is not null)
            {
                await context.CallActivityAsync<Unit>(CaasActivities.RecordPaymentOutcome, new PaymentOutcomeInput(input, PaymentPurpose.Final, final));
            }

            await context.CallActivityAsync<Unit>(CaasActivities.ReturnVehicleToStock, input);
            if (_options.DepositPolicyOnFinalPaymentFailure == DepositPolicy.Refund)
            {
                await context.CallActivityAsync<Unit>(CaasActivities.RefundPayment, new PaymentRequestInput(input, PaymentPurpose.Deposit));
            }

            return await CancelAsync(context, input, final is null ? Reasons.FinalPaymentTimeout : Reasons.FinalPaymentFailed);
        }

        await context.CallActivityAsync<Unit>(CaasActivities.RecordPaymentOutcome, new PaymentOutcomeInput(input, PaymentPurpose.Final, final));

        // 7 before 6: the authority registers the vehicle in its owner's name, so it is assigned first.
        await context.CallActivityAsync<Unit>(CaasActivities.AssignVehicle, input);

        // 6. Registration: slow and flaky, retried on durable timers.
        context.SetCustomStatus(new OrderProgress(OrderStatus.FullyPaid, stage, "registering"));
        var plate = await context.CallActivityAsync<string>(CaasActivities.RegisterVehicle, input,
            new RetryPolicy(_options.RegistrationMaxAttempts, _options.RegistrationFirstRetry, 2.0).Retry());

        // 7. Delivery appointment, invoice documents, completion.
        await context.CallActivityAsync<DateTimeOffset>(CaasActivities.ProposeDelivery, input);
        await context.CallActivityAsync<IReadOnlyList<string>>(CaasActivities.IssueInvoice, input);
        await context.CallActivityAsync<Unit>(CaasActivities.CompleteOrder, input);
        context.SetCustomStatus(new OrderProgress(OrderStatus.Completed, stage));
        return new OrderToDeliveryResult(OrderStatus.Completed, PlateNumber: plate);
    }

    /// <returns>false when the provider kept failing through every retry, so no payment can be taken.</returns>
    private async Task<bool> TryCreatePaymentIntentAsync(TaskOrchestrationContext context, OrderRef input, PaymentPurpose purpose)
    {
        try
        {
            await context.CallActivityAsync<PaymentIntent>(CaasActivities.CreatePaymentIntent, new PaymentRequestInput(input, purpose),
                new RetryPolicy(_options.PaymentIntentMaxAttempts, _options.PaymentIntentFirstRetry, 2.0).Retry());
            return true;
        }
        catch (TaskFailedException ex)
        {
            context.CreateReplaySafeLogger<OrderToDeliveryWorkflow>().LogWarning(
                "Payment provider failed to create the {Purpose} intent of order {OrderId}: {Error}", purpose, input.OrderId, ex.FailureDetails.ErrorMessage);
            return false;
        }
    }

    /// <returns>null when the deadline passed without an outcome.</returns>
    private async Task<PaymentOutcome?> WaitForFinalPaymentAsync(TaskOrchestrationContext context, OrderRef input)
    {
        // One wait per reminder interval until the deadline, a reminder after each wait that ends in silence.
        var deadline = context.UtcNow() + _options.FinalPaymentTimeout;
        var windows = (int)Math.Ceiling(_options.FinalPaymentTimeout / _options.FinalPaymentReminderInterval);
        for (var window = 1; window <= windows; window++)
        {
            var remaining = deadline - context.UtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            var wait = remaining < _options.FinalPaymentReminderInterval ? remaining : _options.FinalPaymentReminderInterval;
            try
            {
                return await context.WaitForExternalEvent<PaymentOutcome>(FinalPaymentEvent, wait);
            }
            catch (TaskCanceledException) when (window < windows && wait < remaining)
            {
                await context.CallActivityAsync<Unit>(CaasActivities.SendPaymentReminder, new ReminderInput(input, window));
            }
            catch (TaskCanceledException)
            {
                break;
            }
        }

        return null;
    }

    private static async Task<OrderToDeliveryResult> CancelAsync(TaskOrchestrationContext context, OrderRef input, string reason)
    {
        await context.CallActivityAsync<Unit>(CaasActivities.CancelOrder, new CancelOrderInput(input, reason));
        context.SetCustomStatus(new OrderProgress(OrderStatus.Cancelled, Detail: reason));
        return new OrderToDeliveryResult(OrderStatus.Cancelled, reason);
    }
}

public sealed record PaymentRequestInput(OrderRef Order, PaymentPurpose Purpose);

public sealed record PaymentOutcomeInput(OrderRef Order, PaymentPurpose Purpose, PaymentOutcome Outcome);

public sealed record ManufacturingStatusInput(OrderRef Order, FactoryStatusEvent Status);

public sealed record CancelOrderInput(OrderRef Order, string Reason);

public sealed record ReminderInput(OrderRef Order, int Number);
