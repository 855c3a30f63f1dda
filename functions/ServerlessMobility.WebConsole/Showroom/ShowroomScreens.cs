using System.Globalization;
using ServerlessMobility.WebConsole.Api;

namespace ServerlessMobility.WebConsole.Showroom;

/// <summary>What the showroom's screens share: who may use them and the API's values in words.</summary>
public static class ShowroomScreens
{
    /// <summary>The stock, the leaderboard and the leads' scores answer dealer staff and admins (docs/security.md).</summary>
    public static bool CanUse(ConsoleSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.HasAnyRole(ConsoleRoles.DealerStaff, ConsoleRoles.DealerAdmin);
    }

    /// <summary>The funnel's stages in order (the API's LeadStage).</summary>
    public static readonly string[] LeadStages = ["New", "Contacted", "TestDrive", "Negotiating", "Won", "Lost"];

    public static readonly string[] LeadSources = ["WalkIn", "Web", "TestDrive"];

    /// <summary>
    /// The moves a salesperson makes here, by the API's rules (LeadStages.Allows), without Won: a lead is won by converting it to
    /// a sale. The API decides again, so a lead another desk moved meanwhile is refused there, and the screen shows why.
    /// </summary>
    public static IReadOnlyList<string> NextStages(string stage) => stage switch
    {
        "New" => ["Contacted", "Lost"],
        "Contacted" => ["TestDrive", "Negotiating", "Lost"],
        "TestDrive" => ["Negotiating", "Lost"],
        "Negotiating" => ["TestDrive", "Lost"],
        _ => [],
    };

    public static string StageLabel(string stage) => stage switch
    {
        "TestDrive" => "Test drive",
        _ => stage,
    };

    public static string SourceLabel(string source) => source switch
    {
        "WalkIn" => "Walk-in",
        "Web" => "Web enquiry",
        "TestDrive" => "Test-drive booking",
        _ => source,
    };

    public static string ActivityLabel(string kind) => kind switch
    {
        "Email" => "E-mail",
        "Contact" => "Came in again",
        _ => kind,
    };

    public static string StatusLabel(string status) => status switch
    {
        "Available" => "Available",
        "Reserved" => "Reserved",
        "Sold" => "Sold",
        "Demo" => "Demo car",
        _ => status,
    };

    public static string FuelLabel(string fuel) => fuel switch
    {
        "PluginHybrid" => "Plug-in hybrid",
        "Lpg" => "LPG",
        _ => fuel,
    };

    /// <summary>The search route's price bands ("10000-20000", "under-10000", "100000-and-over"), in whole units of the cars' currency.</summary>
    public static string PriceBandLabel(string band)
    {
        var (min, max) = PriceRange(band);
        return (min, max) switch
        {
            (null, { } to) => $"under {Whole(to + 0.01m)}",
            ({ } from, null) => $"{Whole(from)} and over",
            ({ } from, { } to) => $"{Whole(from)} to {Whole(to + 0.01m)}",
            _ => band,
        };
    }

    /// <summary>The band as the search route's inclusive minPrice and maxPrice (the band's upper bound is not in it).</summary>
    public static (decimal? Min, decimal? Max) PriceRange(string band)
    {
        ArgumentNullException.ThrowIfNull(band);
        static decimal? Number(string text) => decimal.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
        if (band.StartsWith("under-", StringComparison.Ordinal))
        {
            return (null, Number(band["under-".Length..]) - 0.01m);
        }

        if (band.EndsWith("-and-over", StringComparison.Ordinal))
        {
            return (Number(band[..^"-and-over".Length]), null);
        }

        var parts = band.Split('-');
        return parts.Length == 2 ? (Number(parts[0]), Number(parts[1]) - 0.01m) : (null, null);
    }

    private static string Whole(decimal amount) => amount.ToString("N0", CultureInfo.InvariantCulture);
}
