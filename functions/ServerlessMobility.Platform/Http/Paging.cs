namespace ServerlessMobility.Platform.Http;

/// <summary>
/// Page arithmetic in one place. Pages are numbered from 1; the offset is computed in 64 bits, so a page far
/// beyond the last (up to <see cref="int.MaxValue"/>) is an empty page, never a wrapped-around first page.
/// </summary>
public static class Paging
{
    public const int FirstPage = 1;

    /// <summary>Validates a 1-based page number from the query (null is the first page); anything below 1 is a 400.</summary>
    public static int PageNumber(int? page, string parameter = "page") => page switch
    {
        null => 1,
        < FirstPage => throw RequestValidationException.For(parameter, "Pages are numbered from 1."),
        { } number => number,
    };

    /// <summary>The items of one page; empty when the page starts beyond the last item.</summary>
    public static IReadOnlyList<T> Slice<T>(IEnumerable<T> ordered, int pageNumber, int pageSize)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageNumber, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var offset = ((long)pageNumber - 1) * pageSize;
        return offset > int.MaxValue ? [] : [.. ordered.Skip((int)offset).Take(pageSize)];
    }
}
