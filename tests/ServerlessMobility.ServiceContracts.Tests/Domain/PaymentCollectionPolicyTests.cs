using ServerlessMobility.ServiceContracts.Cancellation;
using ServerlessMobility.ServiceContracts.Claims;
using ServerlessMobility.ServiceContracts.Payments;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Tests.Domain;

public class PaymentCollectionPolicyTests
{
    private static readonly ContractPaymentOptions Options = new() { RetrySchedule = "1.00:00:00,3.00:00:00", GracePeriod = TimeSpan.FromDays(10) };

    private static ServiceContract Monthly(string jurisdiction = "DE")
    {
        var sold = ContractBuilder.Sold(jurisdiction);
        var payment = PaymentTerms.For(PaymentSchedule.Monthly, sold.Price.Total, sold.Price.Currency, sold.ProductVersion.Terms.TermMonths);
        return sold with { Payment = payment, Instalments = payment.Instalments(sold.StartsAt, firstNumber: 1) };
    }

    private static ServiceContract Attempt(ServiceContract contract, int number, int attempt, bool succeeded, DateTimeOffset at) =>
        PaymentCollectionPolicy.WithAttempt(contract, number, new PaymentAttempt(attempt, at, succeeded, succeeded ? $"ref-{number}-{attempt}" : null, succeeded ? null : "card-declined"));

    [Theory]
    [InlineData(595, "EUR", 24, 24.79, 24.83)]
    [InlineData(23_200, "KES", 12, 1_933.33, 1_933.37)]
    [InlineData(480, "GBP", 24, 20, 20)]
    public void For_Monthly_EqualInstalmentsRoundedDownLastTakesTheRest(decimal total, string currency, int months, decimal each, decimal last)
    {
        var terms = PaymentTerms.For(PaymentSchedule.Monthly, total, currency, months);

        Assert.Equal(months, terms.Amounts.Count);
        Assert.All(terms.Amounts.Take(months - 1), amount => Assert.Equal(each, amount));
        Assert.Equal(last, terms.Amounts[^1]);
        Assert.Equal(total, terms.Amounts.Sum());
    }

    [Fact]
    public void Instalments_Monthly_DueOnTheSameDayOfEachCalendarMonth()
    {
        var contract = Monthly();

        Assert.Equal(ContractBuilder.SoldAt, contract.Instalments![0].DueAt);
        Assert.Equal(ContractBuilder.SoldAt.AddMonths(1), contract.Instalments[1].DueAt);
        Assert.Equal(ContractBuilder.SoldAt.AddMonths(23), contract.Instalments[^1].DueAt);
    }

    [Fact]
    public void Next_DeclinedThenRetries_CollectsOnEachRetryDateThenSuspendsThenCancels()
    {
        var due = ContractBuilder.SoldAt;
        var contract = Monthly();

        var first = Assert.IsType<PaymentStep.Collect>(PaymentCollectionPolicy.Next(contract, due, Options));
        Assert.Equal((1, 0), (first.Instalment.Number, first.Attempt));

        contract = Attempt(contract, 1, 0, succeeded: false, due);
        Assert.Equal(due.AddDays(1), Assert.IsType<PaymentStep.WaitUntil>(PaymentCollectionPolicy.Next(contract, due, Options)).At);
        Assert.Equal(1, Assert.IsType<PaymentStep.Collect>(PaymentCollectionPolicy.Next(contract, due.AddDays(1), Options)).Attempt);

        contract = Attempt(contract, 1, 1, succeeded: false, due.AddDays(1));
        contract = Attempt(contract, 1, 2, succeeded: false, due.AddDays(3));
        var suspend = Assert.IsType<PaymentStep.Suspend>(PaymentCollectionPolicy.Next(contract, due.AddDays(3), Options));
        Assert.Equal(due.AddDays(10), suspend.CancelsAt);

        contract = contract with { Suspension = new CoverageSuspension(due.AddDays(3), 1, suspend.CancelsAt) };
        Assert.Equal(due.AddDays(10), Assert.IsType<PaymentStep.WaitUntil>(PaymentCollectionPolicy.Next(contract, due.AddDays(5), Options)).At);
        Assert.IsType<PaymentStep.CancelForNonPayment>(PaymentCollectionPolicy.Next(contract, due.AddDays(10), Options));
    }

    [Fact]
    public void Next_RetrySucceeds_SuspensionLiftedAndTheNextMonthAwaited()
    {
        var due = ContractBuilder.SoldAt;
        var contract = Monthly() with { Suspension = new CoverageSuspension(due.AddDays(3), 1, due.AddDays(10)) };
        contract = Attempt(contract, 1, 0, succeeded: false, due);
        contract = Attempt(contract, 1, 1, succeeded: true, due.AddDays(4));

        Assert.Null(contract.Suspension);
        Assert.Equal(due.AddMonths(1), Assert.IsType<PaymentStep.WaitUntil>(PaymentCollectionPolicy.Next(contract, due.AddDays(4), Options)).At);
    }

    [Fact]
    public void Next_AllPaidOrCancelled_Finished()
    {
        var paidOnce = ContractBuilder.Sold("GB");
        var payment = PaymentTerms.For(PaymentSchedule.Once, paidOnce.Price.Total, paidOnce.Price.Currency, 24);
        paidOnce = Attempt(paidOnce with { Payment = payment, Instalments = payment.Instalments(paidOnce.StartsAt, 1) }, 1, 0, succeeded: true, paidOnce.StartsAt);

        Assert.IsType<PaymentStep.Finished>(PaymentCollectionPolicy.Next(paidOnce, paidOnce.StartsAt, Options));
        Assert.IsType<PaymentStep.Finished>(PaymentCollectionPolicy.Next(Monthly() with { Status = ContractStatus.Cancelled }, ContractBuilder.SoldAt, Options));
    }

    [Fact]
    public void Claim_CoverageSuspended_RejectedWithTheUnpaidInstalment()
    {
        var contract = Monthly() with { Suspension = new CoverageSuspension(ContractBuilder.SoldAt.AddDays(33), 2, ContractBuilder.SoldAt.AddDays(41)) };

        var claim = ClaimEvaluation.Evaluate(contract, "c-1", new ClaimRequest("engine", 400m, 31_000, "Engine mount", null), "workshop-1", ContractBuilder.SoldAt.AddDays(35));

        Assert.Equal(ClaimDecision.Rejected, claim.Decision);
        Assert.Equal("The coverage is suspended since 2030-04-03: instalment 2 is unpaid.", claim.RejectionReason);
        Assert.Equal("suspended", contract.StateAt(ContractBuilder.SoldAt.AddDays(35)));
    }

    [Fact]
    public void Refund_PaidMonthly_OnlyWhatWasPaidAheadComesBack()
    {
        // DE 595 EUR over 731 days, paid monthly: after 100 days four instalments (99.16) were paid, 81.39 EUR of use.
        var contract = Monthly();
        for (var n = 1; n <= 4; n++)
        {
            contract = Attempt(contract, n, 0, succeeded: true, ContractBuilder.SoldAt.AddMonths(n - 1));
        }

        var (refund, explanation, within) = CancellationRefund.Compute(contract, ContractBuilder.SoldAt.AddDays(100));
        var (inCoolingOff, _, _) = CancellationRefund.Compute(contract, ContractBuilder.SoldAt.AddDays(2));

        Assert.False(within);
        Assert.Equal(17.76m, refund);
        Assert.Contains("of 99.16 EUR paid", explanation, StringComparison.Ordinal);
        Assert.Equal(99.16m, inCoolingOff);
    }
}
