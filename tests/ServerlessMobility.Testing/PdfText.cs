using UglyToad.PdfPig;

namespace ServerlessMobility.Testing;

/// <summary>The text of a PDF as a reader sees it (PdfPig), for asserting what a rendered document says.</summary>
public static class PdfText
{
    public static string Of(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(page => page.Text));
    }
}
