using System.Globalization;
using System.Text.Json;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using ServerlessMobility.Platform.Notifications;

namespace ServerlessMobility.Platform.Documents;

/// <summary>
/// Renders a <see cref="DocumentContent"/> as an A4 PDF with PDFsharp: the tenant's branding and legal details,
/// the lines, one tax line per rate named by the country's rules, and totals in the customer's language.
/// </summary>
public sealed class PdfDocumentRenderer
{
    private const string Family = EmbeddedFontResolver.Family;
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _labels = LoadLabels();

    static PdfDocumentRenderer() => EmbeddedFontResolver.Install();

    /// <summary>The document's title in its language (Invoice, Rechnung, ...).</summary>
    public string Title(string kind, string language) => Label(language, kind);

    public byte[] Render(DocumentContent content, TenantProfile tenant)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(tenant);
        // Number and date formats come from labels.json, not from .NET cultures: the hosts run in
        // globalization-invariant mode, where no culture but the invariant one exists.
        string L(string key) => Label(content.Language, key);
        string N(decimal value, string format) => value.ToString(format, CultureInfo.InvariantCulture)
            .Replace(",", "\u0001", StringComparison.Ordinal).Replace(".", L("decimalSeparator"), StringComparison.Ordinal)
            .Replace("\u0001", L("groupSeparator"), StringComparison.Ordinal);
        string M(decimal amount) => $"{N(amount, "#,##0.00")} {content.Currency}";

        using var document = new PdfDocument();
        document.Info.Title = $"{L(content.Kind)} {content.Number}";
        document.Info.Author = tenant.LegalName;
        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        using (var gfx = XGraphics.FromPdfPage(page))
        {
            var regular = new XFont(Family, 9.5, XFontStyleEx.Regular);
            var bold = new XFont(Family, 9.5, XFontStyleEx.Bold);
            var heading = new XFont(Family, 18, XFontStyleEx.Bold);
            var brand = Colour(tenant.Colour);
            const double left = 50;
            var right = page.Width.Point - 50;

            gfx.DrawRectangle(new XSolidBrush(brand), 0, 0, page.Width.Point, 60);
            gfx.DrawString(tenant.Name, new XFont(Family, 16, XFontStyleEx.Bold), XBrushes.White, new XPoint(left, 38));

            var y = 95.0;
            gfx.DrawString($"{L(content.Kind)} {content.Number}", heading, XBrushes.Black, new XPoint(left, y));
            y += 24;
            Line(gfx, regular, $"{L("date")}: {content.IssuedAt.UtcDateTime.ToString(L("dateFormat"), CultureInfo.InvariantCulture)}", left, ref y);
            if (content.Reference is { Length: > 0 } reference)
            {
                Line(gfx, regular, $"{L("reference")}: {reference}", left, ref y);
            }

            // Seller (the tenant's legal details) on the left, customer on the right.
            var top = y + 10;
            y = top;
            Line(gfx, bold, L("seller"), left, ref y);
            Line(gfx, regular, tenant.LegalName, left, ref y);
            foreach (var part in tenant.Address.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                Line(gfx, regular, part, left, ref y);
            }

            if (tenant.TaxId.Length > 0)
            {
                Line(gfx, regular, $"{L("taxId")}: {tenant.TaxId}", left, ref y);
            }

            var sellerEnd = y;
            y = top;
            var middle = page.Width.Point / 2 + 20;
            Line(gfx, bold, L("customer"), middle, ref y);
            Line(gfx, regular, content.Customer.Name, middle, ref y);
            foreach (var line in content.Customer.Lines)
            {
                Line(gfx, regular, line, middle, ref y);
            }

            y = Math.Max(y, sellerEnd) + 20;
            gfx.DrawLine(new XPen(brand, 1), left, y, right, y);
            y += 16;
            gfx.DrawString(L("description"), bold, XBrushes.Black, new XPoint(left, y));
            RightAligned(gfx, bold, L("net"), right, y);
            y += 8;
            gfx.DrawLine(XPens.LightGray, left, y, right, y);
            y += 14;
            foreach (var line in content.Lines)
            {
                gfx.DrawString(line.Description, regular, XBrushes.Black, new XPoint(left, y));
                RightAligned(gfx, regular, M(line.Net), right, y);
                y += 15;
            }

            y += 4;
            gfx.DrawLine(XPens.LightGray, left, y, right, y);
            y += 16;
            var net = content.Lines.Sum(l => l.Net);
            var tax = 0m;

            // A receipt or statement of untaxed amounts has no tax to show; an invoice always states its tax.
            var showsTax = content.Kind == "invoice" || content.Lines.Any(l => l.TaxRate != 0);
            if (showsTax)
            {
                Total(gfx, regular, L("subtotal"), M(net), right, ref y);
                var countries = content.Lines.Select(l => (l.Country ?? content.Country).ToUpperInvariant()).Distinct(StringComparer.Ordinal).Count();
                foreach (var group in content.Lines.GroupBy(l => (Country: (l.Country ?? content.Country).ToUpperInvariant(), l.TaxRate)).OrderBy(g => g.Key.Country, StringComparer.Ordinal).ThenBy(g => g.Key.TaxRate))
                {
                    var groupTax = group.All(l => l.Tax is not null)
                        ? group.Sum(l => l.Tax!.Value)
                        : Math.Round(group.Sum(l => l.Net) * group.Key.TaxRate, 2, MidpointRounding.AwayFromZero);
                    tax += groupTax;
                    var suffix = countries > 1 ? $" ({group.Key.Country})" : string.Empty;
                    Total(gfx, regular, $"{CountryTax.Label(group.Key.Country)} {N(group.Key.TaxRate * 100, "0.##")} %{suffix}", M(groupTax), right, ref y);
                }
            }

            Total(gfx, bold, L("total"), M(net + tax), right, ref y);
            foreach (var settlement in content.Settlements ?? [])
            {
                Total(gfx, regular, L(settlement.Label), M(settlement.Amount), right, ref y);
            }

            y += 10;
            if (showsTax && tax == 0 && CountryTax.ZeroRateNote(content.Country) is { } zero)
            {
                Line(gfx, regular, zero, left, ref y);
            }

            foreach (var note in content.Notes ?? [])
            {
                Line(gfx, regular, note, left, ref y);
            }

            if (tenant.LegalFooter.Length > 0)
            {
                var footerY = page.Height.Point - 40;
                gfx.DrawLine(XPens.LightGray, left, footerY - 14, right, footerY - 14);
                gfx.DrawString(tenant.LegalFooter, new XFont(Family, 7.5, XFontStyleEx.Regular), XBrushes.Gray, new XPoint(left, footerY));
            }
        }

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private static void Line(XGraphics gfx, XFont font, string text, double x, ref double y)
    {
        gfx.DrawString(text, font, XBrushes.Black, new XPoint(x, y));
        y += font.Height + 2;
    }

    private static void RightAligned(XGraphics gfx, XFont font, string text, double right, double y) =>
        gfx.DrawString(text, font, XBrushes.Black, new XPoint(right - gfx.MeasureString(text, font).Width, y));

    private static void Total(XGraphics gfx, XFont font, string label, string amount, double right, ref double y)
    {
        gfx.DrawString(label, font, XBrushes.Black, new XPoint(right - 260, y));
        RightAligned(gfx, font, amount, right, y);
        y += 15;
    }

    private static XColor Colour(string hex) =>
        hex is ['#', _, _, _, _, _, _] && int.TryParse(hex.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb)
            ? XColor.FromArgb((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF)
            : XColor.FromArgb(0x0B, 0x5F, 0xFF);

    private string Label(string language, string key) =>
        (_labels.TryGetValue(language, out var labels) && labels.TryGetValue(key, out var value)) || _labels["en"].TryGetValue(key, out value) ? value : key;

    private static Dictionary<string, IReadOnlyDictionary<string, string>> LoadLabels()
    {
        var assembly = typeof(PdfDocumentRenderer).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(".Documents.Templates.labels.json", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        var labels = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(stream) ?? [];
        return labels.ToDictionary(l => l.Key, l => (IReadOnlyDictionary<string, string>)l.Value, StringComparer.OrdinalIgnoreCase);
    }
}

/// <summary>
/// PDFsharp's fonts from this assembly: DejaVu Sans (regular and bold, Bitstream Vera licence, see
/// Fonts/LICENSE-DejaVu.txt) embedded as resources, so rendering never depends on fonts installed on the
/// machine (a fresh CI machine or a Functions worker has none PDFsharp could use).
/// </summary>
internal sealed class EmbeddedFontResolver : IFontResolver
{
    public const string Family = "DejaVu Sans";
    private static readonly Lock Gate = new();

    public static void Install()
    {
        lock (Gate)
        {
            // PDFsharp takes the resolver once per process; another of the same type is ignored.
            if (GlobalFontSettings.FontResolver is not EmbeddedFontResolver)
            {
                GlobalFontSettings.FontResolver = new EmbeddedFontResolver();
            }
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        string.Equals(familyName, Family, StringComparison.OrdinalIgnoreCase) ? new FontResolverInfo(bold ? "DejaVuSans-Bold" : "DejaVuSans") : null;

    public byte[]? GetFont(string faceName)
    {
        var assembly = typeof(EmbeddedFontResolver).Assembly;
        using var stream = assembly.GetManifestResourceStream($"ServerlessMobility.Platform.Documents.Fonts.{faceName}.ttf");
        if (stream is null)
        {
            return null;
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
