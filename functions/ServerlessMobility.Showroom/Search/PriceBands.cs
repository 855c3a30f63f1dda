using System.Globalization;

namespace ServerlessMobility.Showroom.Search;

/// <summary>
/// The price bands of the search facets, in whole units of the vehicle's own currency (a dealership prices its stock
/// in one currency). A band includes its lower bound and excludes its upper one; the last band is open.
/// </summary>
public static class PriceBands
{
    private static readonly decimal[] Bounds = [10_000m, 20_000m, 30_000m, 50_000m, 75_000m, 100_000m];

    /// <summary>Every band's name, cheapest first: "under-10000", "10000-20000", ..., "100000-and-over".</summary>
    public static IReadOnlyList<string> All { get; } =
        [Name(0), .. Enumerable.Range(1, Bounds.Length - 1).Select(Name), Name(Bounds.Length)];

    public static string Of(decimal price)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(price);
        var index = 0;
        while (index < Bounds.Length && price >= Bounds[index])
        {
            index++;
        }

        return Name(index);
    }

    /// <summary>Where bands sort: by their position, not alphabetically.</summary>
    public static int Order(string band) => All.ToList().IndexOf(band);

    private static string Name(int index) => index switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"under-{Bounds[0]:0}"),
        _ when index == Bounds.Length => string.Create(CultureInfo.InvariantCulture, $"{Bounds[^1]:0}-and-over"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Bounds[index - 1]:0}-{Bounds[index]:0}"),
    };
}
