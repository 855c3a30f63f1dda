using ServerlessMobility.Platform.Http;
using ServerlessMobility.RentToOwn.Plans;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.RentToOwn.Tests.Plans;

public class PaymentScheduleTests
{
    [Fact]
    public void Generate_WeeklyPlan_LastInstalmentAbsorbsRemainder()
    {
        // 135,000 financed + 20% = 162,000 over 52 weeks = 3,115.384...: 51 × 3,115.38 and a last one of 3,115.62.
        var schedule = PaymentSchedule.Generate(new PlanBuilder().Terms());

        Assert.Equal(52, schedule.Count);
        Assert.All(schedule.Take(51), i => Assert.Equal(3_115.38m, i.Amount));
        Assert.Equal(3_115.62m, schedule[^1].Amount);
        Assert.Equal(162_000m, schedule.Sum(i => i.Amount));
    }

    [Fact]
    public void Generate_Weekly_DueDatesSevenDaysApartInUtc()
    {
        var schedule = PaymentSchedule.Generate(new PlanBuilder().Terms());

        Assert.Equal(PlanBuilder.Start.AddDays(7), schedule[0].DueDate);
        Assert.All(schedule.Skip(1).Zip(schedule), pair => Assert.Equal(TimeSpan.FromDays(7), pair.First.DueDate - pair.Second.DueDate));
        Assert.All(schedule, i => Assert.Equal(TimeSpan.Zero, i.DueDate.Offset));
    }

    [Fact]
    public void Generate_MonthlyFromThe31st_ReturnsToThe31stAfterShortMonths()
    {
        var terms = new PlanBuilder().With(t => t with
        {
            Frequency = PaymentFrequency.Monthly,
            NumberOfInstalments = 4,
            FirstDueDate = new DateTimeOffset(2026, 1, 31, 0, 0, 0, TimeSpan.Zero),
        }).Terms();

        var dates = PaymentSchedule.Generate(terms).Select(i => i.DueDate.Day).ToArray();

        Assert.Equal([31, 28, 31, 30], dates);
    }

    [Fact]
    public void Generate_Daily_OneDayApart()
    {
        var terms = new PlanBuilder().With(t => t with { Frequency = PaymentFrequency.Daily, NumberOfInstalments = 3 }).Terms();

        var schedule = PaymentSchedule.Generate(terms);

        Assert.Equal([terms.FirstDueDate, terms.FirstDueDate.AddDays(1), terms.FirstDueDate.AddDays(2)], schedule.Select(i => i.DueDate));
    }

    [Fact]
    public void Generate_ZeroDecimalCurrency_WholeUnitsOnly()
    {
        var terms = new PlanBuilder().With(t => t with { Currency = "UGX", VehiclePrice = 5_000_001m, Deposit = 500_000m, FinanceChargeRate = 0.15m, NumberOfInstalments = 7 }).Terms();

        var schedule = PaymentSchedule.Generate(terms);

        Assert.All(schedule, i => Assert.Equal(decimal.Truncate(i.Amount), i.Amount));
        Assert.Equal(terms.FinancedTotal, schedule.Sum(i => i.Amount));
    }

    [Fact]
    public void TotalCost_IsDepositPlusInstalments()
    {
        var terms = new PlanBuilder().Terms();

        Assert.Equal(15_000m + 162_000m, terms.TotalCost);
        Assert.Equal(27_000m, terms.FinanceCharge);
    }

    [Fact]
    public void Generate_RandomPlans_SumEqualsFinancedTotalToTheCentAndEveryInstalmentPositive()
    {
        // Property-style: a seeded generator keeps failures reproducible.
        var random = new Random(20261122);
        string[] currencies = ["KES", "NGN", "UGX", "USD", "RWF", "GHS"];
        for (var case_ = 0; case_ < 5_000; case_++)
        {
            var currency = currencies[random.Next(currencies.Length)];
            var unit = Currency.MinorUnit(currency);
            var price = random.Next(100, 5_000_000) + (unit == 1 ? 0m : random.Next(0, 100) * unit);
            var deposit = Math.Round(price * (decimal)random.NextDouble() * 0.5m / unit, 0, MidpointRounding.ToZero) * unit;
            var terms = new PlanTerms
            {
                Currency = currency,
                VehiclePrice = price,
                Deposit = deposit,
                FinanceChargeRate = Math.Round((decimal)random.NextDouble() * 0.6m, 4),
                Frequency = (PaymentFrequency)random.Next(3),
                NumberOfInstalments = random.Next(1, 400),
                FirstDueDate = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(random.Next(0, 365)),
            };
            if (Currency.Floor(terms.FinancedTotal / terms.NumberOfInstalments, currency) < unit)
            {
                continue;
            }

            var schedule = PaymentSchedule.Generate(terms);

            Assert.Equal(terms.FinancedTotal, schedule.Sum(i => i.Amount));
            Assert.All(schedule, i => Assert.True(i.Amount > 0, $"case {case_}: instalment {i.Number} is {i.Amount}"));
            Assert.All(schedule, i => Assert.True(Currency.HasValidPrecision(i.Amount, currency), $"case {case_}: {i.Amount} {currency}"));
            Assert.True(schedule[^1].Amount >= schedule[0].Amount, $"case {case_}: the last instalment absorbs the remainder");
            Assert.True(schedule[^1].Amount - schedule[0].Amount < terms.NumberOfInstalments * unit, $"case {case_}: remainder below one unit per instalment");
        }
    }

    [Theory]
    [InlineData("kes")]
    [InlineData("KESX")]
    [InlineData("")]
    public void Validate_BadCurrency_Throws400(string currency)
    {
        var terms = new PlanBuilder().With(t => t with { Currency = currency }).Terms();

        var error = Assert.Throws<RequestValidationException>(terms.Validate);

        Assert.Contains("currency", error.Errors.Keys);
    }

    [Fact]
    public void Validate_DepositNotBelowPrice_Throws400()
    {
        var terms = new PlanBuilder().With(t => t with { Deposit = t.VehiclePrice }).Terms();

        var error = Assert.Throws<RequestValidationException>(terms.Validate);

        Assert.Contains("deposit", error.Errors.Keys);
    }

    [Fact]
    public void Validate_FractionalCentsInPrice_Throws400()
    {
        var terms = new PlanBuilder().With(t => t with { VehiclePrice = 100.001m }).Terms();

        Assert.Throws<RequestValidationException>(terms.Validate);
    }

    [Fact]
    public void Validate_NonUtcFirstDueDate_Throws400()
    {
        var terms = new PlanBuilder().With(t => t with { FirstDueDate = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(3)) }).Terms();

        var error = Assert.Throws<RequestValidationException>(terms.Validate);

        Assert.Contains("firstDueDate", error.Errors.Keys);
    }

    [Fact]
    public void Validate_MoreInstalmentsThanMinorUnits_Throws422()
    {
        var terms = new PlanBuilder().With(t => t with { Currency = "UGX", VehiclePrice = 100m, Deposit = 90m, FinanceChargeRate = 0m, NumberOfInstalments = 11 }).Terms();

        var error = Assert.Throws<BusinessRuleException>(terms.Validate);

        Assert.Equal("instalment-too-small", error.Rule);
    }
}
