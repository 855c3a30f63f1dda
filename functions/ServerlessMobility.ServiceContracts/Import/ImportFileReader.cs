using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using ServerlessMobility.Platform.Http;

namespace ServerlessMobility.ServiceContracts.Import;

/// <summary>One record of an import file as text by field name, whatever the file's format; <see cref="Number"/> counts records from 1.</summary>
public sealed record ImportRow(int Number, IReadOnlyDictionary<string, string?> Fields)
{
    public string? this[string field] => Fields.TryGetValue(field, out var value) ? value?.Trim() : null;
}

/// <summary>
/// Reads the records of an import file: CSV with a header row (RFC 4180 quoting), a JSON array of objects, or XML
/// (a root element holding one element per record, its children the fields). Field names are matched without regard
/// to case. A file that cannot be read at all is a 400 naming the body; a record of the wrong shape is left to the
/// row checks, so it is rejected alone.
/// </summary>
public static class ImportFileReader
{
    public const int MaxBytes = 1024 * 1024;
    public const int MaxRows = 1000;

    public static IReadOnlyList<ImportRow> Read(string? contentType, ReadOnlySpan<byte> content)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        var rows = mediaType switch
        {
            "text/csv" => Csv(Decode(content)),
            "application/json" => Json(content),
            "application/xml" or "text/xml" => Xml(content),
            _ => throw new StatusProblemException(415, "Unsupported media type", "Send the records as text/csv, application/json or application/xml."),
        };
        if (rows.Count > MaxRows)
        {
            throw RequestValidationException.For("body", $"An import holds at most {MaxRows} records; this one holds {rows.Count}. Split the file.");
        }

        return rows;
    }

    private static string Decode(ReadOnlySpan<byte> content)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(content).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw RequestValidationException.For("body", "The file is not UTF-8 text.");
        }
    }

    private static Dictionary<string, string?> NewFields() => new(StringComparer.OrdinalIgnoreCase);

    private static List<ImportRow> Csv(string text)
    {
        var records = CsvRecords(text).Where(r => r.Count > 1 || r[0].Length > 0).ToList();
        if (records.Count == 0)
        {
            throw RequestValidationException.For("body", "The CSV file needs a header row naming the fields.");
        }

        var header = records[0].Select(h => h.Trim()).ToList();
        var rows = new List<ImportRow>();
        foreach (var (record, index) in records.Skip(1).Select((r, i) => (r, i)))
        {
            var fields = NewFields();
            for (var column = 0; column < header.Count && column < record.Count; column++)
            {
                fields.TryAdd(header[column], record[column]);
            }

            rows.Add(new ImportRow(index + 1, fields));
            if (rows.Count > MaxRows)
            {
                break;
            }
        }

        return rows;
    }

    /// <summary>RFC 4180: comma-separated, a field in double quotes may hold commas, line breaks and doubled quotes.</summary>
    private static IEnumerable<List<string>> CsvRecords(string text)
    {
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                record.Add(field.ToString());
                field.Clear();
                yield return record;
                record = [];
            }
            else
            {
                field.Append(c);
            }
        }

        if (quoted)
        {
            throw RequestValidationException.For("body", "The CSV file ends inside a quoted field.");
        }

        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            yield return record;
        }
    }

    private static List<ImportRow> Json(ReadOnlySpan<byte> content)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(content, new JsonReaderOptions { MaxDepth = 8 });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            throw RequestValidationException.For("body", "The body is not valid JSON: send an array of records.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw RequestValidationException.For("body", "Send the records as a JSON array of objects.");
            }

            var rows = new List<ImportRow>();
            foreach (var (element, index) in document.RootElement.EnumerateArray().Select((e, i) => (e, i)))
            {
                var fields = NewFields();
                if (element.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in element.EnumerateObject())
                    {
                        // Strings and numbers are fields; anything else (an object, an array, a boolean) is no value the row checks accept.
                        fields.TryAdd(property.Name, property.Value.ValueKind switch
                        {
                            JsonValueKind.String => property.Value.GetString(),
                            JsonValueKind.Number => property.Value.GetRawText(),
                            _ => null,
                        });
                    }
                }

                rows.Add(new ImportRow(index + 1, fields));
                if (rows.Count > MaxRows)
                {
                    break;
                }
            }

            return rows;
        }
    }

    private static List<ImportRow> Xml(ReadOnlySpan<byte> content)
    {
        XDocument document;
        try
        {
            // No DTDs and no external resources: an import file cannot make the server fetch or expand anything.
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxBytes * 2L };
            using var stream = new MemoryStream(content.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            document = XDocument.Load(reader);
        }
        catch (XmlException)
        {
            throw RequestValidationException.For("body", "The body is not well-formed XML: send a root element holding one element per record.");
        }

        var rows = new List<ImportRow>();
        foreach (var (element, index) in document.Root!.Elements().Select((e, i) => (e, i)))
        {
            var fields = NewFields();
            foreach (var child in element.Elements())
            {
                fields.TryAdd(child.Name.LocalName, child.HasElements ? null : child.Value);
            }

            rows.Add(new ImportRow(index + 1, fields));
            if (rows.Count > MaxRows)
            {
                break;
            }
        }

        return rows;
    }
}
