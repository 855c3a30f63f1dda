using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.RentToOwn.Plans;

namespace ServerlessMobility.Core.Tests.Http;

/// <summary>
/// The use cases' validators answer every malformed field at once, keyed by the JSON name the client sent, with
/// the same messages the API documented before validation moved to FluentValidation.
/// </summary>
public class UseCaseValidationTests
{
    private static readonly DateTimeOffset FirstDue = new(2099, 2, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Duration", "duration")]
    [InlineData("Prices[0].Country", "prices[0].country")]
    [InlineData("vehicleId", "vehicleId")]
    [InlineData("", "")]
    public void JsonName_CamelCasesEachSegment(string path, string expected) =>
        Assert.Equal(expected, RequestValidation.JsonName(path));

    [Fact]
    public void FeaturePurchase_WithEveryFieldWrong_NamesCodeDurationAndCountryInOneAnswer()
    {
        var invalid = Assert.Throws<RequestValidationException>(() =>
            new PurchaseFeatureValidator().ValidateOrThrow(new PurchaseFeature("bad code!", (FeatureDuration)42, "DEU")));

        Assert.Equal(["code", "country", "duration"], invalid.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("One of OneMonth, TwelveMonths, OpenEndedMonthly is required.", Assert.Single(invalid.Errors["duration"]));
    }

    [Fact]
    public void FeaturePurchase_WithoutCountry_IsValid_TheOwnersCountryOnRecordDecides()
    {
        new PurchaseFeatureValidator().ValidateOrThrow(new PurchaseFeature("heated-seats", FeatureDuration.OneMonth, null));
        Assert.Throws<RequestValidationException>(() => new PurchaseFeatureValidator().ValidateOrThrow(new PurchaseFeature("heated-seats", null, null)));
    }

    [Fact]
    public void OpenPlan_NamesTheIdsAndTheTermsTogether()
    {
        var request = new CreatePlanRequest("", "not-a-vin", "KES", 100_000m, 200_000m, 0.2m, PaymentFrequency.Weekly, 0, FirstDue);

        var invalid = Assert.Throws<RequestValidationException>(() => new OpenPlanValidator().ValidateOrThrow(request));

        Assert.Equal(["customerId", "deposit", "numberOfInstalments", "vehicleId"], invalid.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("Deposit must be at least zero, below the vehicle price and in the currency's minor units.", Assert.Single(invalid.Errors["deposit"]));
    }

    [Fact]
    public void PlanTerms_AmountsAreJudgedOnlyInAKnownCurrency()
    {
        var terms = new PlanTerms
        {
            Currency = "XX1", VehiclePrice = -1m, Deposit = -1m, FinanceChargeRate = 3m,
            Frequency = PaymentFrequency.Monthly, NumberOfInstalments = 12, FirstDueDate = FirstDue.ToOffset(TimeSpan.FromHours(3)),
        };

        var invalid = Assert.Throws<RequestValidationException>(terms.Validate);

        Assert.Equal(["currency", "financeChargeRate", "firstDueDate"], invalid.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void PlanTerms_TooManyInstalmentsForTheAmount_IsABusinessRule_NotAFieldError()
    {
        var terms = new PlanTerms
        {
            Currency = "KES", VehiclePrice = 10m, Deposit = 0m, FinanceChargeRate = 0m,
            Frequency = PaymentFrequency.Daily, NumberOfInstalments = 2000, FirstDueDate = FirstDue,
        };

        var rule = Assert.Throws<BusinessRuleException>(terms.Validate);
        Assert.Equal("instalment-too-small", rule.Rule);
    }

    [Fact]
    public void RecordPayment_RefusesAnEmptyReferenceAndANonPositiveAmount()
    {
        var invalid = Assert.Throws<RequestValidationException>(() => new RecordPlanPaymentValidator().ValidateOrThrow(new RecordPaymentRequest(" ", 0m)));
        Assert.Equal(["amount", "providerReference"], invalid.Errors.Keys.Order(StringComparer.Ordinal));
    }
}
