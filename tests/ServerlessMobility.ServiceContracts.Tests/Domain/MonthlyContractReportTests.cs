using ServerlessMobility.ServiceContracts.Cancellation;
using ServerlessMobility.ServiceContracts.Lifecycle;
using ServerlessMobility.ServiceContracts.Payments;
using ServerlessMobility.ServiceContracts.Renewal;
using ServerlessMobility.ServiceContracts.Reporting;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Tests.Domain;

public class MonthlyContractReportTests
{
    private static readonly DateTimeOffset March1 = ContractBuilder.SoldAt;

    private static ServiceContract Sold(string id, string jurisdiction, DateTimeOffset at) => ContractBuilder.Sold(jurisdiction, at) with { Id = id };

    private static ServiceContract Monthly(string id, string jurisdiction, DateTimeOffset at)
    {
        var sold = Sold(id, jurisdiction, at);
        var payment = PaymentTerms.For(PaymentSchedule.Monthly, sold.Price.Total, sold.Price.Currency, sold.ProductVersion.Terms.TermMonths);
        return sold with { Payment = payment, Instalments = payment.Instalments(sold.StartsAt, firstNumber: 1) };
    }

    private static ServiceContract Attempt(ServiceContract contract, int number, bool succeeded, DateTimeOffset at) =>
        PaymentCollectionPolicy.WithAttempt(contract, number, new PaymentAttempt(1, at, succeeded, succeeded ? "ref" : null, succeeded ? null : "card-declined"));

    private static ServiceContract Cancelled(ServiceContract contract, DateTimeOffset at, string by) =>
        contract with { Status = ContractStatus.Cancelled, Cancellation = new ContractCancellation(at, by, "test", 0m, contract.Price.Currency, "none", false) };

    private static MonthlyContractReport Report(string from, string to, params ServiceContract[] contracts)
    {
        Assert.True(ReportMonth.TryParse(from, out var first));
        Assert.True(ReportMonth.TryParse(to, out var last));
        return MonthlyContractReports.Compute(contracts, first, last);
    }

    [Fact]
    public void Compute_SalesAndPayments_CountedInTheMonthTheyHappened()
    {
        // Paid once, before instalments existed: the whole price (500 net + 19 % VAT) the day it was sold.
        var once = Sold("sc-de", "DE", March1) with { Instalments = null };

        // 400 net + 20 % VAT = 480 GBP in 24 instalments of 20: the first paid at the sale, the second after a decline.
        var monthly = Monthly("sc-gb", "GB", March1.AddDays(14));
        monthly = Attempt(monthly, 1, succeeded: true, March1.AddDays(14));
        monthly = Attempt(monthly, 2, succeeded: false, March1.AddDays(45));
        monthly = Attempt(monthly, 2, succeeded: true, March1.AddDays(46));

        var report = Report("2030-02", "2030-04", once, monthly);

        Assert.Equal(["2030-02", "2030-03", "2030-04"], report.Months.Select(m => m.Month));
        var (february, march, april) = (report.Months[0], report.Months[1], report.Months[2]);
        Assert.Equal((0, 0), (february.Sold, february.ActiveAtMonthEnd));
        Assert.Empty(february.Revenue);
        Assert.Equal((2, 2), (march.Sold, march.ActiveAtMonthEnd));
        Assert.Equal([new RevenueLine("DE", "EUR", 595m), new RevenueLine("GB", "GBP", 20m)], march.Revenue);
        Assert.Equal((0, 2), (april.Sold, april.ActiveAtMonthEnd));
        Assert.Equal([new RevenueLine("GB", "GBP", 20m)], april.Revenue);
    }

    [Fact]
    public void Compute_RefundOfACancellation_DeductedInTheMonthItWasPaid()
    {
        // 595 EUR collected at the sale in March; cancelled in April with 400 EUR back; a second contract cancelled in
        // April without a refund changes nothing.
        var refunded = Sold("sc-de", "DE", March1) with { Instalments = null };
        refunded = refunded with
        {
            Status = ContractStatus.Cancelled,
            Cancellation = new ContractCancellation(March1.AddDays(40), "cust-1", "test", 400m, "EUR", "pro rata", false),
        };
        var unrefunded = Cancelled(Sold("sc-de2", "DE", March1) with { Instalments = null }, March1.AddDays(41), "cust-2");

        var report = Report("2030-03", "2030-04", refunded, unrefunded);

        Assert.Equal([new RevenueLine("DE", "EUR", 1_190m)], report.Months[0].Revenue);
        Assert.Equal([new RevenueLine("DE", "EUR", -400m)], report.Months[1].Revenue);
    }

    [Fact]
    public void Compute_SameCurrencyInTwoJurisdictionsAndTwoCurrencies_OneLineEachNeverAdded()
    {
        var report = Report("2030-03", "2030-03",
            Sold("sc-de", "DE", March1) with { Instalments = null },
            Sold("sc-es", "ES", March1) with { Instalments = null },
            Sold("sc-de2", "DE", March1.AddDays(1)) with { Instalments = null },
            Sold("sc-ke", "KE", March1) with { Instalments = null });

        // ES: 500 + 21 % IVA; KE: 20,000 + 16 % VAT; the two German contracts add up, nothing else does.
        Assert.Equal([new RevenueLine("DE", "EUR", 1_190m), new RevenueLine("ES", "EUR", 605m), new RevenueLine("KE", "KES", 23_200m)], report.Months[0].Revenue);
    }

    [Fact]
    public void Compute_Cancellations_CountedInTheirMonthAndNoLongerActive()
    {
        var byCustomer = Cancelled(Sold("sc-1", "DE", March1), March1.AddDays(35), "cust-1");
        var forNonPayment = Cancelled(Sold("sc-2", "DE", March1), March1.AddDays(40), TakeContractStepsActivity.PaymentsActor);
        var kept = Sold("sc-3", "DE", March1);

        var report = Report("2030-03", "2030-04", byCustomer, forNonPayment, kept);

        Assert.Equal((0, 0, 3), (report.Months[0].Cancelled, report.Months[0].CancelledForNonPayment, report.Months[0].ActiveAtMonthEnd));
        Assert.Equal((2, 1, 1), (report.Months[1].Cancelled, report.Months[1].CancelledForNonPayment, report.Months[1].ActiveAtMonthEnd));
    }

    [Fact]
    public void Compute_TermsEndingAndRenewed_RenewalRateOverBoth()
    {
        // 24-month terms: the first and third contracts end in March 2032, the second on 2032-03-10 but is renewed in February.
        var lapsing = Sold("sc-lapse", "DE", March1);
        var renewed = ContractRenewals.Renew(Sold("sc-renew", "DE", March1.AddDays(9)), 45_000, "cust-1", byCustomer: true, new DateTimeOffset(2032, 2, 20, 12, 0, 0, TimeSpan.Zero));
        var cancelledEarlier = Cancelled(Sold("sc-gone", "DE", March1), new DateTimeOffset(2031, 6, 1, 0, 0, 0, TimeSpan.Zero), "cust-1");

        var report = Report("2032-01", "2032-03", lapsing, renewed, cancelledEarlier);
        var (january, february, march) = (report.Months[0], report.Months[1], report.Months[2]);

        // Nothing due in January: no rate rather than a made-up 0 %.
        Assert.Equal((0, 0, 0, (decimal?)null), (january.Expiring, january.Renewed, january.RenewalBase, january.RenewalRate));
        Assert.Equal((0, 1, 1, (decimal?)1m), (february.Expiring, february.Renewed, february.RenewalBase, february.RenewalRate));

        // The cancelled contract does not expire: it was over already.
        Assert.Equal((1, 0, 1, (decimal?)0m), (march.Expiring, march.Renewed, march.RenewalBase, march.RenewalRate));
        Assert.Equal(1, march.ActiveAtMonthEnd);
    }

    [Fact]
    public void Compute_TwoOfThreeRenewed_RateRoundedToFourPlaces()
    {
        var renewedAt = new DateTimeOffset(2032, 2, 20, 12, 0, 0, TimeSpan.Zero);
        var report = Report("2032-02", "2032-03",
            ContractRenewals.Renew(Sold("sc-1", "DE", March1), 45_000, "cust-1", byCustomer: true, renewedAt),
            ContractRenewals.Renew(Sold("sc-2", "DE", March1), 45_000, "cust-1", byCustomer: true, renewedAt),
            Sold("sc-3", "DE", March1.AddDays(-5)));

        Assert.Equal((1, 2, 3, (decimal?)0.6667m), (report.Months[0].Expiring, report.Months[0].Renewed, report.Months[0].RenewalBase, report.Months[0].RenewalRate));
    }

    [Theory]
    [InlineData("2099-01", true)]
    [InlineData("2099-12", true)]
    [InlineData("2099-13", false)]
    [InlineData("2099-00", false)]
    [InlineData("2099-1", false)]
    [InlineData("99-01", false)]
    [InlineData("2099/01", false)]
    [InlineData("+099-01", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void TryParse_YearDashMonth_OnlyThatForm(string? text, bool valid)
    {
        Assert.Equal(valid, ReportMonth.TryParse(text, out var month));
        if (valid)
        {
            Assert.Equal(text, month.ToString());
        }
    }
}
