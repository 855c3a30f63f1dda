using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Tests.Features;

/// <summary>Proration, VAT, the subscription lifecycle, firmware comparison and catalog validation.</summary>
public sealed class FeatureDomainTests
{
    private static readonly DateTimeOffset February = new(2027, 2, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Lines_ActiveTheWholeMonth_PaysExactlyTheMonthlyPricePlusVat()
    {
        var subscription = Active(Feature("ES", 9.99m, 0.21m), "ES", February.AddDays(-10));

        var line = Assert.Single(FeatureBilling.Lines([subscription], February));

        Assert.Equal(1m, line.ShareOfMonth);
        Assert.Equal(new Money(9.99m, "EUR"), line.Net);
        Assert.Equal(new Money(2.10m, "EUR"), line.Vat); // 2.0979 rounds half away from zero to 2.10
        Assert.Equal(new Money(12.09m, "EUR"), line.Gross);
        Assert.Equal(February, line.From);
        Assert.Equal(February.AddMonths(1), line.To);
    }

    [Fact]
    public void Lines_ActivatedHalfWayThroughFebruary_PaysHalf()
    {
        var subscription = Active(Feature("ES", 30m, 0.21m), "ES", February.AddDays(14));

        var line = Assert.Single(FeatureBilling.Lines([subscription], February));

        Assert.Equal(0.5m, line.ShareOfMonth);
        Assert.Equal(15m, line.Net.Amount);
        Assert.Equal(3.15m, line.Vat.Amount);
    }

    [Fact]
    public void Lines_MonthEdges_EndingAtTheFirstInstantOrStartingAtTheLastPaysNothingOrAlmostNothing()
    {
        var endedAtMidnight = Active(Feature("ES", 30m, 0.21m), "ES", February.AddMonths(-1)) with { EndedAt = February };
        var startedAtMidnightOfNextMonth = Active(Feature("ES", 30m, 0.21m), "ES", February.AddMonths(1));
        var lastHour = Active(Feature("ES", 672m, 0.21m), "ES", February.AddMonths(1).AddHours(-1)); // 28 days = 672 h

        var lines = FeatureBilling.Lines([endedAtMidnight, startedAtMidnightOfNextMonth, lastHour], February);

        var line = Assert.Single(lines);
        Assert.Equal(lastHour.Id, line.SubscriptionId);
        Assert.Equal(1m, line.Net.Amount);
    }

    [Fact]
    public void Lines_CancelledMidMonth_PaysUntilTheCancellation()
    {
        var march = February.AddMonths(1); // 31 days
        var subscription = Active(Feature("ES", 31m, 0.21m), "ES", march.AddDays(-3)) with { EndedAt = march.AddDays(10) };

        var line = Assert.Single(FeatureBilling.Lines([subscription], march));

        Assert.Equal(10m, line.Net.Amount);
        Assert.Equal(march.AddDays(10), line.To);
    }

    [Theory]
    [InlineData(FeatureInvoiceStatus.PaymentFailed)]
    [InlineData(FeatureInvoiceStatus.Uncollectible)]
    public void SettleManually_DeclinedOrUncollectible_PaidWithWhoAndWhy_ASecondTimeIsAConflict(FeatureInvoiceStatus status)
    {
        var lines = FeatureBilling.Lines([Active(Feature("ES", 100m, 0.21m), "ES", February.AddDays(-1))], February);
        var declined = FeatureBilling.Invoices("t1", "c-1", February, lines, February.AddMonths(1))[0] with { Status = status, FailureCode = "card-declined", CollectionAttempts = 4 };

        var settled = declined.SettleManually("TR-42", "admin-1", February.AddMonths(1).AddDays(20));

        Assert.Equal((FeatureInvoiceStatus.Paid, "manual:TR-42", null), (settled.Status, settled.ProviderReference, settled.FailureCode));
        Assert.Equal(new ManualSettlement("TR-42", "admin-1", February.AddMonths(1).AddDays(20)), settled.Settlement);
        Assert.Equal(declined.Gross, settled.Gross);
        Assert.Throws<ConflictException>(() => settled.SettleManually("TR-43", "admin-2", February.AddMonths(2)));
    }

    [Fact]
    public void Invoices_FeaturesAcrossVatRatesAndCurrencies_OneInvoicePerCurrencyWithLineVat()
    {
        var spain = Active(Feature("ES", 100m, 0.21m, code: "heated-seats"), "ES", February.AddDays(-1));
        var germany = Active(Feature("DE", 100m, 0.19m, code: "extra-range"), "DE", February.AddDays(-1));
        var britain = Active(Feature("GB", 80m, 0.20m, "GBP", "performance"), "GB", February.AddDays(-1));
        var fixedTerm = Active(Feature("ES", 100m, 0.21m, code: "adaptive-cruise"), "ES", February.AddDays(-1), FeatureDuration.TwelveMonths);

        var lines = FeatureBilling.Lines([spain, germany, britain, fixedTerm], February);
        var invoices = FeatureBilling.Invoices("t1", "c-1", February, lines, February.AddMonths(1));

        Assert.Equal(3, lines.Count); // the fixed-term purchase was paid up front
        Assert.Equal(new[] { "EUR", "GBP" }, invoices.Select(i => i.Currency));
        var euro = invoices[0];
        Assert.Equal("c-1.2027-02.EUR", euro.Id);
        Assert.Equal(200m, euro.Net.Amount);
        Assert.Equal(40m, euro.Vat.Amount); // 21 + 19
        Assert.Equal(240m, euro.Gross.Amount);
        Assert.Equal(96m, invoices[1].Gross.Amount);
    }

    [Fact]
    public void MoveTo_FollowsTheLifecycle_RepeatsAreHarmless_SkipsAreRefused()
    {
        var requested = FeatureSubscription.Request("s-1", "c-1", "VIN", Feature("ES", 10m, 0.21m), FeatureDuration.OneMonth, "es", February);
        var activating = requested.MoveTo(FeatureSubscriptionState.Activating, February);
        var active = activating.MoveTo(FeatureSubscriptionState.Active, February.AddHours(1));

        Assert.Same(active, active.MoveTo(FeatureSubscriptionState.Active, February.AddHours(2)));
        Assert.Equal(February.AddHours(1).AddMonths(1), active.EndsAt);
        Assert.Equal("ES", requested.Country);
        Assert.Equal(12.10m, requested.UpfrontAmount.Amount);
        Assert.Throws<BusinessRuleException>(() => requested.MoveTo(FeatureSubscriptionState.Active, February));
        Assert.Throws<BusinessRuleException>(() => active.MoveTo(FeatureSubscriptionState.Failed, February));
        var failed = activating.MoveTo(FeatureSubscriptionState.Failed, February, "activation-failed: timeout");
        Assert.Equal("activation-failed: timeout", failed.FailureReason);
        Assert.False(failed.IsOpen);
        Assert.True(active.IsOpen);
    }

    [Fact]
    public void Request_DurationNotSoldOrCountryWithoutPrice_BreaksARule()
    {
        var monthlyOnly = Feature("ES", 10m, 0.21m) with { AllowedDurations = [FeatureDuration.OneMonth] };

        Assert.Equal("feature-duration-allowed", Assert.Throws<BusinessRuleException>(() =>
            FeatureSubscription.Request("s", "c", "V", monthlyOnly, FeatureDuration.TwelveMonths, "ES", February)).Rule);
        Assert.Equal("feature-sold-in-country", Assert.Throws<BusinessRuleException>(() =>
            FeatureSubscription.Request("s", "c", "V", monthlyOnly, FeatureDuration.OneMonth, "FR", February)).Rule);
    }

    [Theory]
    [InlineData("2.4", "2.4", true)]
    [InlineData("2.4.0", "2.4", true)]
    [InlineData("2.10", "2.9", true)]
    [InlineData("v3", "2.9.9", true)]
    [InlineData("2.3.9", "2.4", false)]
    [InlineData("beta", "2.4", false)]
    [InlineData(null, "2.4", false)]
    public void FirmwareVersion_IsAtLeast(string? actual, string minimum, bool expected) =>
        Assert.Equal(expected, FirmwareVersion.IsAtLeast(actual, minimum));

    [Fact]
    public void DefinitionRequest_Invalid_NamesEveryBadField()
    {
        var request = new FeatureDefinitionRequest("", "latest", [new FeaturePrice("ESP", 9.999m, 1.5m, "eur"), new FeaturePrice("ESP", 1m, 0.2m, "EUR")], [], false, null);

        var errors = Assert.Throws<RequestValidationException>(() => request.ToDefinition("t1", "m", "x")).Errors;

        Assert.Equal(new[] { "allowedDurations", "minimumFirmware", "name", "prices" }, errors.Keys.Order(StringComparer.Ordinal));
        Assert.True(errors["prices"].Length >= 4);
    }

    private static FeatureDefinition Feature(string country, decimal net, decimal vat, string currency = "EUR", string code = "heated-seats") => new()
    {
        TenantId = "t1",
        ModelId = "aurora-s",
        Code = code,
        Name = code,
        MinimumFirmware = "2.4",
        Prices = [new FeaturePrice(country, net, vat, currency)],
        AllowedDurations = [FeatureDuration.OneMonth, FeatureDuration.TwelveMonths, FeatureDuration.OpenEndedMonthly],
    };

    private static FeatureSubscription Active(FeatureDefinition feature, string country, DateTimeOffset activatedAt, FeatureDuration duration = FeatureDuration.OpenEndedMonthly) =>
        FeatureSubscription.Request($"s-{feature.Code}-{country}-{activatedAt.ToUnixTimeSeconds()}", "c-1", "VIN", feature, duration, country, activatedAt)
            .MoveTo(FeatureSubscriptionState.Activating, activatedAt)
            .MoveTo(FeatureSubscriptionState.Active, activatedAt);
}
