using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.Currencies;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Payments;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Workflows;
using ServerlessMobility.ServiceContracts.Cancellation;
using ServerlessMobility.ServiceContracts.Records;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Payments;

public sealed record ContractPaymentsInput(string TenantId, string ContractId);

/// <param name="Finished">Nothing is left to collect (all paid, or the contract is cancelled).</param>
/// <param name="Wait">How long until the next step is due, by the module's clock.</param>
/// <param name="State">The contract's state after the steps taken, for the instance's custom status.</param>
public sealed record ContractPaymentProgress(bool Finished, TimeSpan Wait, string State, int? NextInstalment);

/// <summary>
/// Collects a contract's instalments for one term. Each round asks the activity to take every step that is due
/// (collect, suspend, cancel for non-payment) and sleeps until the next one, at most
/// <see cref="ContractPaymentOptions.MaxWait"/>, so a cancellation or a clock that moved is seen soon. Decisions are
/// made in the activity from the stored contract and the module's clock; the orchestrator only loops, so its replay is
/// deterministic and it continues as new after a bounded number of rounds to keep its history small.
/// </summary>
public sealed class ContractPaymentsWorkflow(IOptions<ContractPaymentOptions> options) : TaskOrchestrator<ContractPaymentsInput, string>
{
    public const string Name = "ServiceContractsCollectPayments";

    /// <summary>Raised when a contract's payments changed outside the workflow, so it looks again at once.</summary>
    public const string PaymentsChangedEvent = "ContractPaymentsChanged";

    private const int RoundsPerExecution = 20;

    /// <summary>One instance per contract term: a renewal starts the next term's.</summary>
    public static string InstanceIdFor(string tenantId, string contractId, int term) => WorkflowInstanceIds.For(tenantId, "sc-payments", $"{contractId}-t{term}");

    public override async Task<string> RunAsync(TaskOrchestrationContext context, ContractPaymentsInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var policy = options.Value;
        var retry = new RetryPolicy(5, policy.ActivityRetryInterval, backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(10)).Retry();
        for (var round = 0; round < RoundsPerExecution; round++)
        {
            var progress = await context.CallActivityAsync<ContractPaymentProgress>(CollectContractPaymentActivity.Name, input, retry);
            context.SetCustomStatus(new { state = progress.State, nextInstalment = progress.NextInstalment });
            if (progress.Finished)
            {
                return progress.State;
            }

            var wait = progress.Wait < policy.MaxWait ? progress.Wait : policy.MaxWait;
            await context.WaitForExternalEventUntilAsync<string>(PaymentsChangedEvent, context.UtcNow() + wait);
        }

        context.ContinueAsNew(input);
        return "continued";
    }
}

/// <summary>
/// Takes every payment step of a contract that is due now (<see cref="PaymentCollectionPolicy"/>) and returns how
/// long until the next one. Each step is stored with optimistic concurrency and recorded in the ledger; a collection's
/// idempotency key is its contract, instalment and attempt, so a re-run after a lost write gets the provider's first
/// answer and never charges twice.
/// </summary>
public sealed class CollectContractPaymentActivity(ITenantRepository<ServiceContract> contracts, ContractRecords records, IPaymentCollector collector,
    IOptions<ContractPaymentOptions> options, TimeProvider time) : TaskActivity<ContractPaymentsInput, ContractPaymentProgress>
{
    public const string Name = "ServiceContractsCollectPayment";
    public const string Actor = "payments";

    private const int MaxStepsPerRun = 8;

    public override async Task<ContractPaymentProgress> RunAsync(TaskActivityContext context, ContractPaymentsInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        for (var step = 0; step < MaxStepsPerRun; step++)
        {
            var found = await contracts.GetAsync(input.TenantId, input.ContractId, CancellationToken.None)
                ?? throw new InvalidOperationException($"Service contract '{input.ContractId}' of tenant '{input.TenantId}' does not exist.");
            var now = time.GetUtcNow();
            var next = PaymentCollectionPolicy.Next(found.Value, now, options.Value);
            switch (next)
            {
                case PaymentStep.Finished:
                    return new ContractPaymentProgress(true, TimeSpan.Zero, found.Value.StateAt(now), null);
                case PaymentStep.WaitUntil wait:
                    return new ContractPaymentProgress(false, wait.At - now, found.Value.StateAt(now), found.Value.Instalments?.FirstOrDefault(i => !i.IsPaid)?.Number);
            }

            await ApplyAsync(found, next, now);
        }

        // Steps left over (a clock far ahead): the workflow calls again at once.
        return new ContractPaymentProgress(false, TimeSpan.Zero, "collecting", null);
    }

    private async Task ApplyAsync(Versioned<ServiceContract> found, PaymentStep step, DateTimeOffset now)
    {
        var contract = found.Value;
        var currency = contract.Price.Currency;
        (ServiceContract Changed, string Event) change;
        switch (step)
        {
            case PaymentStep.Collect collect:
                var result = await collector.CollectAsync(new PaymentCollectionRequest(contract.TenantId, $"service-contract:{contract.Id}", contract.CustomerId,
                    new Money(collect.Instalment.Amount, currency), $"{contract.Id}:{collect.Instalment.Number}:{collect.Attempt}"), CancellationToken.None);
                var attempt = new PaymentAttempt(collect.Attempt, now, result.Succeeded, result.ProviderReference, result.FailureCode);
                change = (PaymentCollectionPolicy.WithAttempt(contract, collect.Instalment.Number, attempt), result.Succeeded ? "instalment-paid" : "payment-declined");
                break;
            case PaymentStep.Suspend suspend:
                change = (contract with { Suspension = new CoverageSuspension(now, suspend.Instalment.Number, suspend.CancelsAt) }, "coverage-suspended");
                break;
            case PaymentStep.CancelForNonPayment cancel:
                var (refund, explanation, withinCoolingOff) = CancellationRefund.Compute(contract, now);
                change = (contract with
                {
                    Status = ContractStatus.Cancelled,
                    Cancellation = new ContractCancellation(now, Actor, $"Not paid: {PaymentCollectionPolicy.Describe(cancel.Instalment, currency)}.", refund, currency, explanation, withinCoolingOff),
                }, "cancelled-for-non-payment");
                break;
            default:
                throw new InvalidOperationException($"Unexpected payment step {step}.");
        }

        await SaveAsync(found, change.Changed, change.Event, now);
    }

    /// <summary>
    /// Stores the change if the contract is still the one read. When someone else changed it meanwhile (a claim, a
    /// cancellation), nothing is stored and the next loop reads it and decides again; a collection then repeats its
    /// idempotency key and gets the provider's first answer.
    /// </summary>
    private async Task SaveAsync(Versioned<ServiceContract> found, ServiceContract changed, string eventName, DateTimeOffset now)
    {
        var recorded = await records.RecordAsync(changed, eventName, Actor, now, CancellationToken.None);
        try
        {
            await contracts.ReplaceAsync(found.Value.TenantId, found.Value.Id, recorded, found.ETag, CancellationToken.None);
        }
        catch (ConflictException)
        {
            // Read again by the caller's next step.
        }
    }
}
