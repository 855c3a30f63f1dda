using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessMobility.Platform.Http;

/// <summary>
/// Request bodies carry finite numbers only. The web defaults read numbers from strings, and reading from
/// strings also accepts the named literals "NaN", "Infinity" and "-Infinity"; nothing in the API means them,
/// and a non-finite coordinate or amount only fails later (a 500 when it is stored). These converters keep
/// numbers-in-strings where the options allow them ("12.5") but reject every non-finite value as a JSON error,
/// which the problem-details handler answers with 400. Registered for the HTTP JSON options of both hosts.
/// </summary>
public sealed class FiniteDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = FiniteNumbers.Read(ref reader, options);
        return double.IsFinite(value) ? value : throw new JsonException("Numbers must be finite.");
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value);
    }
}

/// <inheritdoc cref="FiniteDoubleConverter"/>
public sealed class FiniteSingleConverter : JsonConverter<float>
{
    public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = (float)FiniteNumbers.Read(ref reader, options);
        return float.IsFinite(value) ? value : throw new JsonException("Numbers must be finite.");
    }

    public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value);
    }
}

internal static class FiniteNumbers
{
    public static double Read(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetDouble(out var number) ? number : throw new JsonException("The number is out of range.");
        }

        if (reader.TokenType == JsonTokenType.String && (options.NumberHandling & JsonNumberHandling.AllowReadingFromString) != 0)
        {
            // Digits, sign, decimal point and exponent only: double.TryParse alone would also take "NaN" and "Infinity".
            var text = reader.GetString() ?? string.Empty;
            if (text.Length is > 0 and <= 64
                && text.All(c => char.IsAsciiDigit(c) || c is '-' or '+' or '.' or 'e' or 'E')
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }

            throw new JsonException("Expected a finite number.");
        }

        throw new JsonException($"Expected a number, not {reader.TokenType}.");
    }
}
