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
}
