using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Platform.Payments;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.ServiceContracts.Cancellation;
using ServerlessMobility.ServiceContracts.Payments;
using ServerlessMobility.ServiceContracts.Records;
using ServerlessMobility.ServiceContracts.Renewal;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Lifecycle;

public sealed record ContractLifecycleInput(string TenantId, string ContractId);

/// <param name="Finished">Nothing is left to do: the contract is cancelled, or its last term is over and paid.</param>
/// <param name="Wait">How long until the next step is due, by the module's clock.</param>
/// <param name="State">The contract's state after the steps taken, for the instance's custom status.</param>
public sealed record ContractLifecycleProgress(bool Finished, TimeSpan Wait, string State, int? NextInstalment);

/// <summary>
/// Follows a sold contract until it is cancelled or its last term is over: collects the instalments (retries,
/// suspension, cancellation for non-payment), reminds the customer before each term ends and renews a contract whose
/// customer consented. Each round asks the activity to take every step that is due and sleeps until the next one, at
/// most <see cref="ContractPaymentOptions.MaxWait"/>, so a claim, a renewal or a clock that moved is seen soon.
/// Decisions are made in the activity from the stored contract and the module's clock; the orchestrator only loops, so
/// its replay is deterministic, and it continues as new after a bounded number of rounds to keep its history small.
/// </summary>
public sealed class ContractLifecycleWorkflow(IOptions<ContractPaymentOptions> options) : TaskOrchestrator<ContractLifecycleInput, string>
{
    public const string Name = "ServiceContractsRunLifecycle";

    /// <summary>Raised when a contract changed outside the workflow (a renewal), so it looks again at once.</summary>
    public const string ContractChangedEvent = "ContractChanged";

    private const int RoundsPerExecution = 20;

    /// <summary>One instance per contract, for its whole life.</summary>
    public static string InstanceIdFor(string tenantId, string contractId) => WorkflowInstanceIds.For(tenantId, "sc-lifecycle", contractId);

    public override async Task<string> RunAsync(TaskOrchestrationContext context, ContractLifecycleInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var policy = options.Value;
        var retry = OrchestrationContextExtensions.ActivityRetry(policy.ActivityRetryInterval);
        for (var round = 0; round < RoundsPerExecution; round++)
        {
            var progress = await context.CallActivityAsync<ContractLifecycleProgress>(TakeContractStepsActivity.Name, input, retry);
            context.SetCustomStatus(new { state = progress.State, nextInstalment = progress.NextInstalment });
            if (progress.Finished)
            {
                return progress.State;
            }

            var wait = progress.Wait < policy.MaxWait ? progress.Wait : policy.MaxWait;
            await context.WaitForExternalEventUntilAsync<string>(ContractChangedEvent, context.UtcNow() + wait);
        }

        context.ContinueAsNew(input);
        return "continued";
    }
}

/// <summary>
/// Takes every step of a contract that is due now — payment (<see cref="PaymentCollectionPolicy"/>) first, then
/// renewal (<see cref="RenewalSchedule"/>) — and returns how long until the next one. Each step is stored with optimistic
/// concurrency and recorded in the ledger; a collection's idempotency key is its contract, instalment and attempt and a
/// reminder's message id its contract and term end, so a re-run after a lost write charges and sends nothing twice.
/// </summary>
public sealed class TakeContractStepsActivity(ITenantRepository<ServiceContract> contracts, ContractRecords records, IPaymentCollector collector,
    INotifications notifications, IOptions<ContractPaymentOptions> payments, IOptions<ContractRenewalOptions> renewals, TimeProvider time)
    : TaskActivity<ContractLifecycleInput, ContractLifecycleProgress>
{
    public const string Name = "ServiceContractsTakeSteps";

    /// <summary>Who the ledger names for the steps the platform takes by itself.</summary>
    public const string PaymentsActor = "payments";
    public const string RenewalActor = "renewal-run";

    private const int MaxStepsPerRun = 8;

    public override async Task<ContractLifecycleProgress> RunAsync(TaskActivityContext context, ContractLifecycleInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        for (var step = 0; step < MaxStepsPerRun; step++)
        {
            var found = await contracts.GetAsync(input.TenantId, input.ContractId, CancellationToken.None)
                ?? throw new InvalidOperationException($"Service contract '{input.ContractId}' of tenant '{input.TenantId}' does not exist.");
            var contract = found.Value;
            var now = time.GetUtcNow();
            var payment = PaymentCollectionPolicy.Next(contract, now, payments.Value);
            var renewal = RenewalSchedule.Next(contract, now, renewals.Value);
            var change = payment switch
            {
                PaymentStep.Collect collect => await CollectAsync(contract, collect, now),
                PaymentStep.Suspend suspend => (contract with { Suspension = new CoverageSuspension(now, suspend.Instalment.Number, suspend.CancelsAt) }, "coverage-suspended", PaymentsActor),
                PaymentStep.CancelForNonPayment cancel => (CancelForNonPayment(contract, cancel, now), "cancelled-for-non-payment", PaymentsActor),
                _ => renewal switch
                {
                    RenewalStep.Remind => await RemindAsync(contract, now),
                    RenewalStep.AutoRenew => (ContractRenewals.Renew(contract, contract.Vehicle.OdometerKm, RenewalActor, byCustomer: false, now, payments.Value.MonthLength),
                        "renewed-automatically", RenewalActor),
                    _ => ((ServiceContract, string, string)?)null,
                },
            };

            if (change is not { } taken)
            {
                var waits = new[] { (payment as PaymentStep.WaitUntil)?.At, (renewal as RenewalStep.WaitUntil)?.At }.OfType<DateTimeOffset>().ToList();
                var next = contract.Instalments?.FirstOrDefault(i => !i.IsPaid)?.Number;
                return waits.Count == 0
                    ? new ContractLifecycleProgress(true, TimeSpan.Zero, contract.StateAt(now), next)
                    : new ContractLifecycleProgress(false, waits.Min() - now, contract.StateAt(now), next);
            }

            await SaveAsync(found, taken.Item1, taken.Item2, taken.Item3, now);
        }

        // Steps left over (a clock far ahead): the workflow calls again at once.
        return new ContractLifecycleProgress(false, TimeSpan.Zero, "in-progress", null);
    }

    private async Task<(ServiceContract, string, string)?> CollectAsync(ServiceContract contract, PaymentStep.Collect collect, DateTimeOffset now)
    {
        var result = await collector.CollectAsync(new PaymentCollectionRequest(contract.TenantId, $"service-contract:{contract.Id}", contract.CustomerId,
            new Money(collect.Instalment.Amount, contract.Price.Currency), $"{contract.Id}:{collect.Instalment.Number}:{collect.Attempt}"), CancellationToken.None);
        var attempt = new PaymentAttempt(collect.Attempt, now, result.Succeeded, result.ProviderReference, result.FailureCode);
        return (PaymentCollectionPolicy.WithAttempt(contract, collect.Instalment.Number, attempt), result.Succeeded ? "instalment-paid" : "payment-declined", PaymentsActor);
    }

    private static ServiceContract CancelForNonPayment(ServiceContract contract, PaymentStep.CancelForNonPayment cancel, DateTimeOffset now)
    {
        var currency = contract.Price.Currency;
        var (refund, explanation, withinCoolingOff) = CancellationRefund.Compute(contract, now);
        return contract with
        {
            Status = ContractStatus.Cancelled,
            Cancellation = new ContractCancellation(now, PaymentsActor, $"Not paid: {PaymentCollectionPolicy.Describe(cancel.Instalment, currency)}.", refund, currency, explanation, withinCoolingOff),
        };
    }

    /// <summary>Tells the customer the term ends and whether it renews by itself; once per term (the message id is the term's end).</summary>
    private async Task<(ServiceContract, string, string)?> RemindAsync(ServiceContract contract, DateTimeOffset now)
    {
        var renews = contract.RenewalConsent is { Given: true };
        var message = string.Create(CultureInfo.InvariantCulture,
            $"Your {contract.ProductName} contract for {contract.Vehicle.Vin} ends on {contract.EndsAt:yyyy-MM-dd}. ")
            + (renews ? "You consented to renewal: it renews for another term unless you withdraw consent." : "Renew it before then to stay covered.");
        await notifications.PublishAsync(new NotificationEvent(
            string.Create(CultureInfo.InvariantCulture, $"sc-renewal-reminder:{contract.Id}:{contract.EndsAt:yyyyMMdd}"), "generic", contract.TenantId,
            new NotificationRecipient(contract.CustomerId),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["title"] = "Your service contract ends soon", ["message"] = message }), CancellationToken.None);
        return (contract with { RenewalRemindersSent = [.. contract.RenewalRemindersSent ?? [], contract.EndsAt] }, "renewal-reminder-sent", RenewalActor);
    }

    /// <summary>
    /// Stores the change if the contract is still the one read. When someone else changed it meanwhile (a claim, a
    /// cancellation), nothing is stored and the next loop reads it and decides again; a collection then repeats its
    /// idempotency key and gets the provider's first answer, a reminder its message id.
    /// </summary>
    private async Task SaveAsync(Versioned<ServiceContract> found, ServiceContract changed, string eventName, string actor, DateTimeOffset now)
    {
        var recorded = await records.RecordAsync(changed, eventName, actor, now, CancellationToken.None);
        try
        {
            await contracts.ReplaceAsync(found.Value.TenantId, found.Value.Id, recorded, found.ETag, CancellationToken.None);
        }
        catch (ConflictException)
        {
            // Read again by the next step.
        }
    }
}
