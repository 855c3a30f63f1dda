using ServerlessMobility.ServiceContracts.Cancellation;

namespace ServerlessMobility.ServiceContracts.Tests.Domain;

public class CancellationRefundTests
{
    // Sold 2030-03-01 for 24 months: 731 days (2032 is a leap year).
    private static DateTimeOffset Day(int days) => ContractBuilder.SoldAt.AddDays(days);

    [Theory]
    [InlineData("DE", 13, 595)]
    [InlineData("GB", 13, 480)]
    [InlineData("KE", 6, 23200)]
    [InlineData("IN", 14, 5899.99)]
    [InlineData("US-CA", 29, 643.50)]
    public void Compute_InsideCoolingOff_EverythingPaidIsRefunded(string jurisdiction, int days, decimal refund)
    {
        var (amount, explanation, within) = CancellationRefund.Compute(ContractBuilder.Sold(jurisdiction), Day(days));

        Assert.True(within);
        Assert.Equal(refund, amount);
        Assert.Contains("cooling-off", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_ProRataAfterCoolingOff_UnusedShareRoundedDown()
    {
        // DE: 595 x 631 / 731 = 513.604..., rounded down to the cent.
        var (amount, explanation, within) = CancellationRefund.Compute(ContractBuilder.Sold("DE"), Day(100));

        Assert.False(within);
        Assert.Equal(513.60m, amount);
        Assert.Contains("631 of 731 days unused", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_ProRataMinusFeeAfterCoolingOff_FeeOfTheCountryDeducted()
    {
        // GB: 480 x 631 / 731 = 414.336... -> 414.33, less the 25 GBP fee.
        var (amount, _, _) = CancellationRefund.Compute(ContractBuilder.Sold("GB"), Day(100));

        Assert.Equal(389.33m, amount);
    }

    [Fact]
    public void Compute_NoRefundRuleAfterCoolingOff_Nothing()
    {
        var (amount, explanation, within) = CancellationRefund.Compute(ContractBuilder.Sold("KE"), Day(7));

        Assert.False(within);
        Assert.Equal(0m, amount);
        Assert.Contains("No refund", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_FeeLargerThanTheProRataShare_NeverNegative()
    {
        var (amount, _, _) = CancellationRefund.Compute(ContractBuilder.Sold("US-CA"), Day(725));

        Assert.Equal(0m, amount);
    }
}
