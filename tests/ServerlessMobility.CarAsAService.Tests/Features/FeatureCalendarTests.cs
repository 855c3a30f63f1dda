using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.CarAsAService.Features;
using ServerlessMobility.Platform.Currencies;

namespace ServerlessMobility.CarAsAService.Tests.Features;

/// <summary>
/// The features' months: calendar months (production) and fixed-length months (tests and demos), always
/// from fixed dates on a <see cref="FakeTimeProvider"/>, never from today.
/// </summary>
public sealed class FeatureCalendarTests
{
    private static readonly FeatureCalendar Calendar = FeatureCalendar.CalendarMonths;
    private static readonly FeatureCalendar TwentySeconds = new(TimeSpan.FromSeconds(20));

    [Theory]
    [InlineData("2027-02-01T00:00:00Z", "2027-02-01T00:00:00Z", "2027-03-01T00:00:00Z")]
    [InlineData("2027-02-28T23:59:59.9999999Z", "2027-02-01T00:00:00Z", "2027-03-01T00:00:00Z")]
    [InlineData("2027-12-31T12:00:00Z", "2027-12-01T00:00:00Z", "2028-01-01T00:00:00Z")]
    [InlineData("2027-03-01T01:30:00+02:00", "2027-02-01T00:00:00Z", "2027-03-01T00:00:00Z")] // still February in UTC
    public void MonthStartAndEnd_CalendarMonths_AreTheUtcMonthHoldingTheInstant(string at, string start, string end)
    {
        var instant = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), Calendar.MonthStart(instant));
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), Calendar.MonthEnd(instant));
        Assert.Equal(TimeSpan.Zero, Calendar.MonthStart(instant).Offset);
    }

    [Theory]
    [InlineData(2027, 28)]
    [InlineData(2028, 29)] // divisible by 4
    [InlineData(2100, 28)] // a century that is not divisible by 400
    [InlineData(2000, 29)] // a century divisible by 400
    public void MonthEnd_February_HasTheDaysOfItsYear(int year, int days)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(year, 2, 10, 8, 0, 0, TimeSpan.Zero));

        var start = Calendar.MonthStart(time.GetUtcNow());

        Assert.Equal(TimeSpan.FromDays(days), Calendar.MonthEnd(time.GetUtcNow()) - start);
    }

    [Theory]
    [InlineData("2027-01-31T10:00:00Z", 1, "2027-02-28T10:00:00Z")]
    [InlineData("2028-01-31T10:00:00Z", 1, "2028-02-29T10:00:00Z")]
    [InlineData("2028-02-29T10:00:00Z", 12, "2029-02-28T10:00:00Z")]
    [InlineData("2027-03-15T10:00:00Z", 12, "2028-03-15T10:00:00Z")]
    public void AddMonths_CalendarMonths_KeepTheDayOrTakeTheLastDayOfAShorterMonth(string at, int months, string expected)
    {
        var instant = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Calendar.AddMonths(instant, months));
    }

    [Fact]
    public void FixedMonths_AreAlignedToTheUnixEpoch_AndFollowEachOther()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 2, 1, 0, 0, 7, TimeSpan.Zero).AddMilliseconds(300));
        var seconds = time.GetUtcNow().ToUnixTimeSeconds();

        var start = TwentySeconds.MonthStart(time.GetUtcNow());
        time.Advance(TimeSpan.FromSeconds(20));
        var next = TwentySeconds.MonthStart(time.GetUtcNow());

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(seconds - (seconds % 20)), start);
        Assert.Equal(start.AddSeconds(20), TwentySeconds.MonthEnd(start));
        Assert.Equal(TwentySeconds.MonthEnd(start), next);
        Assert.Equal(start, TwentySeconds.MonthStart(start)); // a month's first instant is in that month
        Assert.Equal(start, TwentySeconds.MonthStart(next.AddTicks(-1)));
    }

    [Fact]
    public void FixedMonths_BeforeTheEpoch_StillFloorToTheMonthThatHoldsTheInstant()
    {
        var before = DateTimeOffset.UnixEpoch.AddSeconds(-1);

        Assert.Equal(DateTimeOffset.UnixEpoch.AddSeconds(-20), TwentySeconds.MonthStart(before));
        Assert.Equal(DateTimeOffset.UnixEpoch, TwentySeconds.MonthEnd(before));
    }

    [Fact]
    public void AddMonths_FixedMonths_AddWholeLengthsWhateverTheDate()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2028, 1, 31, 10, 0, 0, TimeSpan.Zero));

        Assert.Equal(time.GetUtcNow().AddSeconds(20), TwentySeconds.AddMonths(time.GetUtcNow(), 1));
        Assert.Equal(time.GetUtcNow().AddSeconds(240), TwentySeconds.AddMonths(time.GetUtcNow(), 12));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("00:00:01", true)]
    [InlineData("00:00:20", true)]
    [InlineData("31.00:00:00", true)]
    [InlineData("00:00:00", false)]
    [InlineData("-00:00:20", false)]
    [InlineData("00:00:00.999", false)]
    [InlineData("31.00:00:00.001", false)]
    [InlineData("365.00:00:00", false)]
    public void IsValidMonthLength_PositiveAndAtMostALongMonth(string? length, bool valid)
    {
        TimeSpan? parsed = length is null ? null : TimeSpan.Parse(length, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(valid, FeatureCalendar.IsValidMonthLength(parsed));
        if (!valid)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureCalendar(parsed));
        }
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("00:00:20", 20d)]
    public void Options_EmptyIsCalendarMonths_ALengthIsAFixedMonth(string setting, double? seconds)
    {
        using var services = Services(setting);

        var calendar = services.GetRequiredService<IOptions<FeatureActivationOptions>>().Value.Calendar();

        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), calendar.FixedMonthLength);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:01:00")]
    [InlineData("400.00:00:00")]
    public void Options_AbsurdMonthLength_FailsValidation(string setting)
    {
        using var services = Services(setting);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<FeatureActivationOptions>>().Value);

        Assert.Contains("MonthLength", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PeriodKey_CalendarMonthByItsMonth_AnyOtherPeriodByItsStartToTheSecond()
    {
        var february = new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero);
        var fixedStart = TwentySeconds.MonthStart(february.AddSeconds(25));

        Assert.Equal("2027-02", FeatureCalendar.PeriodKey(february, february.AddMonths(1)));
        Assert.Equal("20270201T000020Z", FeatureCalendar.PeriodKey(fixedStart, TwentySeconds.MonthEnd(fixedStart)));
        Assert.Equal("20270201T000000Z", FeatureCalendar.PeriodKey(february, february.AddSeconds(20))); // not a calendar month
    }

    [Fact]
    public void PeriodKey_ShortestFixedMonths_NeverRepeat()
    {
        var oneAndAHalf = new FeatureCalendar(TimeSpan.FromMilliseconds(1500));
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero));
        var keys = new HashSet<string>(StringComparer.Ordinal);

        for (var month = 0; month < 100; month++)
        {
            var start = oneAndAHalf.MonthStart(time.GetUtcNow());
            Assert.True(keys.Add(FeatureCalendar.PeriodKey(start, oneAndAHalf.MonthEnd(start))), $"month {month} repeats a key");
            time.Advance(TimeSpan.FromMilliseconds(1500));
        }
    }

    [Fact]
    public void ShareOfPeriod_CalendarMonthByDays_FixedMonthByElapsedTime_ClippedToThePeriod()
    {
        var leapFebruary = new DateTimeOffset(2028, 2, 1, 0, 0, 0, TimeSpan.Zero);
        var fixedStart = TwentySeconds.MonthStart(leapFebruary);
        var fixedEnd = TwentySeconds.MonthEnd(fixedStart);

        Assert.Equal(decimal.Round(1m / 29, 12), decimal.Round(FeatureCalendar.ShareOfPeriod(leapFebruary.AddDays(3), leapFebruary.AddDays(4), leapFebruary, leapFebruary.AddMonths(1)), 12));
        Assert.Equal(1m, FeatureCalendar.ShareOfPeriod(leapFebruary.AddDays(-3), leapFebruary.AddMonths(2), leapFebruary, leapFebruary.AddMonths(1)));
        Assert.Equal(0.25m, FeatureCalendar.ShareOfPeriod(fixedStart.AddSeconds(5), fixedStart.AddSeconds(10), fixedStart, fixedEnd));
        Assert.Equal(0.5m, FeatureCalendar.ShareOfPeriod(fixedStart.AddSeconds(-30), fixedStart.AddSeconds(10), fixedStart, fixedEnd));
        Assert.Equal(0m, FeatureCalendar.ShareOfPeriod(fixedEnd, fixedEnd.AddSeconds(5), fixedStart, fixedEnd));
    }

    [Fact]
    public void Lines_FixedMonth_ProratedByElapsedTime_InvoiceNamedByThePeriodStart()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2027, 2, 1, 0, 0, 20, TimeSpan.Zero));
        var start = TwentySeconds.MonthStart(time.GetUtcNow());
        var end = TwentySeconds.MonthEnd(start);
        time.Advance(TimeSpan.FromSeconds(5));
        var activated = OpenEnded(time.GetUtcNow(), TwentySeconds);
        time.Advance(TimeSpan.FromSeconds(10));
        var cancelled = activated.MoveTo(FeatureSubscriptionState.Expiring, time.GetUtcNow(), "cancelled-by-customer", TwentySeconds);

        var line = Assert.Single(FeatureBilling.Lines([cancelled], start, end));
        var invoice = Assert.Single(FeatureBilling.Invoices("t1", "c-1", start, end, [line], end));

        Assert.Equal(0.5m, line.ShareOfMonth);
        Assert.Equal(new Money(50m, "EUR"), line.Net);
        Assert.Equal(new Money(60.50m, "EUR"), invoice.Gross);
        Assert.Equal("c-1.20270201T000020Z.EUR", invoice.Id);
        Assert.Equal((start, end), (invoice.PeriodStart, invoice.PeriodEnd));
    }

    [Fact]
    public void MoveToActive_FixedDurations_EndAfterTheirMonthsOfTheCalendar()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2028, 1, 31, 10, 0, 0, TimeSpan.Zero));
        var feature = Feature();

        var oneMonthCalendar = Activate(FeatureSubscription.Request("s-1", "c-1", "VIN", feature, FeatureDuration.OneMonth, "ES", time.GetUtcNow()), time.GetUtcNow(), Calendar);
        var twelveFixed = Activate(FeatureSubscription.Request("s-2", "c-1", "VIN", feature, FeatureDuration.TwelveMonths, "ES", time.GetUtcNow()), time.GetUtcNow(), TwentySeconds);
        var openEnded = Activate(FeatureSubscription.Request("s-3", "c-1", "VIN", feature, FeatureDuration.OpenEndedMonthly, "ES", time.GetUtcNow()), time.GetUtcNow(), TwentySeconds);

        Assert.Equal(new DateTimeOffset(2028, 2, 29, 10, 0, 0, TimeSpan.Zero), oneMonthCalendar.EndsAt);
        Assert.Equal(time.GetUtcNow().AddSeconds(240), twelveFixed.EndsAt);
        Assert.Null(openEnded.EndsAt);
    }

    private static ServiceProvider Services(string monthLength)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["CarAsAService:Features:MonthLength"] = monthLength })
            .Build();
        return new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddCarAsAServiceFeatures().BuildServiceProvider();
    }

    private static FeatureSubscription Activate(FeatureSubscription requested, DateTimeOffset at, FeatureCalendar calendar) =>
        requested.MoveTo(FeatureSubscriptionState.Activating, at).MoveTo(FeatureSubscriptionState.Active, at, null, calendar);

    private static FeatureSubscription OpenEnded(DateTimeOffset activatedAt, FeatureCalendar calendar) =>
        Activate(FeatureSubscription.Request("s-open", "c-1", "VIN", Feature(), FeatureDuration.OpenEndedMonthly, "ES", activatedAt), activatedAt, calendar);

    private static FeatureDefinition Feature() => new()
    {
        TenantId = "t1",
        ModelId = "aurora-s",
        Code = "heated-seats",
        Name = "Heated seats",
        MinimumFirmware = "2.4",
        Prices = [new FeaturePrice("ES", 100m, 0.21m, "EUR")],
        AllowedDurations = [FeatureDuration.OneMonth, FeatureDuration.TwelveMonths, FeatureDuration.OpenEndedMonthly],
    };
}
