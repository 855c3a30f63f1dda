using ServerlessMobility.Platform.Http;
using ServerlessMobility.Workshop.Billing;
using ServerlessMobility.Workshop.Jobs;

namespace ServerlessMobility.Workshop.Tests.Domain;

public class InvoiceCalculatorTests
{
    [Fact]
    public void For_WipersDeclined_LabourPlusApprovedPartsPlusGermanTax()
    {
        var clock = WorkshopFixtures.Clock();
        var job = WorkshopFixtures.AwaitingApproval(clock);
        job.Decide(1, WorkshopFixtures.WipersDeclined(), clock.GetUtcNow());

        var invoice = InvoiceCalculator.For(job, new WorkshopOptions().TaxRateFor("DE"), clock.GetUtcNow());

        // Labour 1.5 h x 80 = 120.00; pads 2 x 45.50 = 91.00; net 211.00; 19 % = 40.09; gross 251.09.
        Assert.Equal(["labour", "pads"], invoice.Lines.Select(l => l.LineId));
        Assert.Equal(120.00m, invoice.Labour.Amount);
        Assert.Equal(91.00m, invoice.Parts.Amount);
        Assert.Equal(211.00m, invoice.Net.Amount);
        Assert.Equal(40.09m, invoice.Tax.Amount);
        Assert.Equal(251.09m, invoice.Gross.Amount);
        Assert.Equal("EUR", invoice.Gross.Currency);
    }

    [Fact]
    public void For_Kenya_SixteenPercent()
    {
        var clock = WorkshopFixtures.Clock();
        var job = WorkshopFixtures.AwaitingApproval(clock);
        job.Decide(1, WorkshopFixtures.WipersDeclined(), clock.GetUtcNow());

        var invoice = InvoiceCalculator.For(job, new WorkshopOptions().TaxRateFor("KE"), clock.GetUtcNow());

        Assert.Equal(33.76m, invoice.Tax.Amount);
    }

    [Fact]
    public void TaxRateFor_UnknownCountry_RuleBroken()
    {
        Assert.Throws<BusinessRuleException>(() => new WorkshopOptions().TaxRateFor("ZZ"));
    }

    [Fact]
    public void For_NoApproval_Conflict()
    {
        var clock = WorkshopFixtures.Clock();
        var job = WorkshopFixtures.AwaitingApproval(clock);

        Assert.Throws<ConflictException>(() => InvoiceCalculator.For(job, 0.19m, clock.GetUtcNow()));
        Assert.Equal(JobStatus.AwaitingApproval, job.Status);
    }

    [Fact]
    public void CoveredItems_GrossOfTheApprovedLinesUnderEachItem()
    {
        var invoice = CoveredInvoice();

        // Labour 120.00 and pads 91.00 are "brakes": 211.00 net, 251.09 with 19 %; the declined wipers are not invoiced.
        var item = Assert.Single(invoice.CoveredItems());
        Assert.Equal("brakes", item.CoverageItem);
        Assert.Equal(251.09m, item.Gross.Amount);
        Assert.Equal("Brake service; Brake pads", item.Description);
    }

    [Fact]
    public void AmountDue_GrossLessWhatAcceptedClaimsPay()
    {
        var invoice = CoveredInvoice();
        var eur = invoice.Gross.Currency;

        Assert.Equal(251.09m, invoice.AmountDue.Amount);
        Assert.Equal(50.00m, (invoice with { Coverage = [new("brakes", invoice.Gross, new(201.09m, eur), "sc-1", "claim-1", null)] }).AmountDue.Amount);
        Assert.Equal(251.09m, (invoice with { Coverage = [new("brakes", invoice.Gross, new(0m, eur), "sc-1", "claim-1", "The total limit is used up.")] }).AmountDue.Amount);
        Assert.Equal(0m, (invoice with { Coverage = [new("brakes", invoice.Gross, new(251.09m, eur), "sc-1", "claim-1", null)] }).AmountDue.Amount);
    }

    private static WorkshopInvoice CoveredInvoice()
    {
        var clock = WorkshopFixtures.Clock();
        var lines = WorkshopFixtures.Lines();
        var job = ServiceJob.Open(WorkshopFixtures.Booking(), new CheckInRecord(42_000, 60, [], clock.GetUtcNow(), "staff-1"), "DE", "EUR");
        job.MoveTo(JobStatus.Inspecting, clock.GetUtcNow());
        job.Propose([lines[0] with { CoverageItem = "brakes" }, lines[1] with { CoverageItem = "brakes" }, lines[2]], clock.GetUtcNow());
        job.MoveTo(JobStatus.AwaitingApproval, clock.GetUtcNow());
        job.Decide(1, WorkshopFixtures.WipersDeclined(), clock.GetUtcNow());
        return InvoiceCalculator.For(job, new WorkshopOptions().TaxRateFor("DE"), clock.GetUtcNow());
    }
}
