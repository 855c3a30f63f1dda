namespace ServerlessMobility.Showroom.Search;

/// <summary>What autocomplete offers for a vehicle, and how a typed prefix is compared with it; both search implementations use these.</summary>
public static class SearchPhrases
{
    /// <summary>Make, model, make and model, and with a trim the trim and all three ("BMW 320i M Sport").</summary>
    public static IEnumerable<string> Of(string make, string model, string? trim)
    {
        yield return make;
        yield return model;
        yield return $"{make} {model}";
        if (!string.IsNullOrWhiteSpace(trim))
        {
            yield return trim;
            yield return $"{make} {model} {trim}";
        }
    }

    /// <summary>Lower case, single spaces, no surrounding blanks.</summary>
    public static string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return string.Join(' ', value.Trim().ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
