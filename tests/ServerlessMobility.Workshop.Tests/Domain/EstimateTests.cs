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
