using ServerlessMobility.Platform.Http;
using ServerlessMobility.Workshop.Estimates;

namespace ServerlessMobility.Workshop.Tests.Domain;

public class EstimateTests
{
    [Fact]
    public void Hash_SameEstimateWithTrailingZeros_SameHash()
    {
        var a = Estimate.Prepare(1, "EUR", WorkshopFixtures.Lines(), WorkshopFixtures.Monday);
        var b = Estimate.Prepare(1, "EUR", [.. WorkshopFixtures.Lines().Select(l => l with { UnitPrice = decimal.Parse(l.UnitPrice.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture) })],
            WorkshopFixtures.Monday.AddHours(1));

        Assert.Equal(a.Hash, b.Hash);
        Assert.Equal(64, a.Hash.Length);
    }

    [Fact]
    public void Hash_AnyFieldChanged_DifferentHash()
    {
        var lines = WorkshopFixtures.Lines();
        var original = Estimate.CanonicalHash(1, "EUR", lines);

        Assert.NotEqual(original, Estimate.CanonicalHash(2, "EUR", lines));
        Assert.NotEqual(original, Estimate.CanonicalHash(1, "GBP", lines));
        Assert.NotEqual(original, Estimate.CanonicalHash(1, "EUR", [lines[0] with { UnitPrice = 80.01m }, lines[1], lines[2]]));
        Assert.NotEqual(original, Estimate.CanonicalHash(1, "EUR", [lines[0], lines[2], lines[1]]));
        Assert.NotEqual(original, Estimate.CanonicalHash(1, "EUR", [lines[0] with { Description = "Brake service|1.5" }, lines[1], lines[2]]));
        Assert.NotEqual(original, Estimate.CanonicalHash(1, "EUR", [lines[0] with { CoverageItem = "brakes" }, lines[1], lines[2]]));
    }

    /// <summary>SHA-256 of "v1|3:EUR\n6:labour|Labour|13:Brake service|1.5|80|-|-\n4:pads|...|4:main\n6:wipers|...|4:main".</summary>
    private const string KnownHashOfFixtureLines = "e58880b54dccfa91c03d608ce0ad598ae1134f4726504496b962e2abdcee873f";

    [Fact]
    public void Hash_WithoutCoverageItems_AsBeforeCoverageExisted()
    {
        // The canonical text of an estimate without coverage is what it was when coverage did not exist, so decisions
        // recorded then still verify: this is the hash of that text for the fixture's lines.
        Assert.Equal(KnownHashOfFixtureLines, Estimate.CanonicalHash(1, "EUR", WorkshopFixtures.Lines()));
    }

    [Fact]
    public void Prepare_CoverageItemNotACode_InvalidWithItsField()
    {
        var error = Assert.Throws<RequestValidationException>(() => Estimate.Prepare(1, "EUR",
            [new("a", EstimateLineKind.Labour, "Work", 1, 10m, CoverageItem: "brakes and more")], WorkshopFixtures.Monday));

        Assert.Contains("lines[0].coverageItem", error.Errors.Keys);
    }

    [Fact]
    public void Net_RoundsEachLineToCents()
    {
        var estimate = Estimate.Prepare(1, "EUR", [new("l", EstimateLineKind.Labour, "Diagnosis", 0.333m, 90m)], WorkshopFixtures.Monday);

        Assert.Equal(29.97m, estimate.Net.Amount);
    }

    [Fact]
    public void Prepare_FractionalPartsAndDuplicateIds_InvalidWithEachField()
    {
        var error = Assert.Throws<RequestValidationException>(() => Estimate.Prepare(1, "EUR",
            [new("a", EstimateLineKind.Part, "Oil", 1.5m, 10m, "OIL", "main"), new("a", EstimateLineKind.Labour, "Work", 1, 10m, "OIL")], WorkshopFixtures.Monday));

        Assert.Contains("lines", error.Errors.Keys);
        Assert.Contains("lines[0].quantity", error.Errors.Keys);
        Assert.Contains("lines[1].sku", error.Errors.Keys);
    }
}
