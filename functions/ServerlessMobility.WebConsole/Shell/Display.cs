using System.Globalization;

namespace ServerlessMobility.WebConsole.Shell;

/// <summary>How every screen writes times and amounts, so a figure reads the same on each: UTC to the second, amounts with their currency.</summary>
public static class Display
{
    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Day(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Amount(decimal amount, string currency) => $"{amount.ToString("N2", CultureInfo.InvariantCulture)} {currency}";
}
