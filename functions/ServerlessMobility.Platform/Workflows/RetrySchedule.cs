using System.Globalization;

namespace ServerlessMobility.Platform.Workflows;

/// <summary>
/// A dunning-style schedule written in configuration as comma-separated TimeSpans ("1.00:00:00,3.00:00:00"):
/// offsets from a first attempt, not intervals between attempts. A string rather than a bound list, because
/// the configuration binder appends to a list that has defaults instead of replacing it.
/// </summary>
public static class RetrySchedule
{
    /// <summary>The offsets in ascending order; an empty text means no retries. Throws <see cref="FormatException"/> on a bad entry.</summary>
    public static IReadOnlyList<TimeSpan> Parse(string schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return [.. schedule.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(value => TimeSpan.Parse(value, CultureInfo.InvariantCulture))
            .Order()];
    }

    /// <summary>True when every entry parses and every offset lies after the first attempt.</summary>
    public static bool IsValid(string schedule)
    {
        try
        {
            return Parse(schedule).All(offset => offset > TimeSpan.Zero);
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
