using System.Collections.Frozen;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fluid;
using Fluid.Values;

namespace ServerlessMobility.Platform.Notifications;

/// <summary>
/// The Liquid templates of every message kind in every language (embedded Templates/{language}.json), with
/// the tenant's branding around them. A kind missing in a language falls back to English; a kind without
/// templates at all uses "generic", which shows the product line's own text (data "message").
/// </summary>
public sealed class NotificationTemplates
{
    public const string GenericKind = "generic";
    public const string FallbackLanguage = "en";

    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = new TemplateOptionsBuilder().WithMaxSteps(10_000).Build();

    private readonly FrozenDictionary<string, LanguagePack> _packs;

    public NotificationTemplates()
    {
        var assembly = typeof(NotificationTemplates).Assembly;
        var packs = new Dictionary<string, LanguagePack>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Notifications.Templates.", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var source = JsonSerializer.Deserialize<LanguageSource>(stream, SourceJson) ?? throw new InvalidOperationException($"Template pack {name} is empty.");
            packs[source.Language] = LanguagePack.Parse(source);
        }

        _packs = packs.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        if (!_packs.ContainsKey(FallbackLanguage))
        {
            throw new InvalidOperationException("The English templates are missing.");
        }
    }

    /// <summary>Languages with templates (en, es, fr, de, sw).</summary>
    public IReadOnlyCollection<string> Languages => _packs.Keys;

    /// <summary>Kinds with their own templates in the fallback language (every other language may fall back to it).</summary>
    public IReadOnlyCollection<string> Kinds => _packs[FallbackLanguage].Kinds.Keys;

    public bool HasKind(string language, string kind) => _packs.TryGetValue(language, out var pack) && pack.Kinds.ContainsKey(kind);

    /// <summary>The best supported language for a preference (de-AT counts as de), or English.</summary>
    public string ResolveLanguage(params string?[] preferred)
    {
        foreach (var candidate in preferred)
        {
            if (string.IsNullOrWhiteSpace(candidate))
            {
                continue;
            }

            var primary = candidate.Split('-', '_')[0].Trim().ToLowerInvariant();
            if (_packs.ContainsKey(primary))
            {
                return primary;
            }
        }

        return FallbackLanguage;
    }

    public RenderedMessage Render(NotificationEvent notification, NotificationChannel channel, string language, TenantProfile tenant)
    {
        var (pack, kind, context) = Prepare(notification, language, tenant);
        string Text(IFluidTemplate template) => template.Render(context, NullEncoder.Default).Trim();

        var subject = Text(kind.Subject);
        if (channel != NotificationChannel.Email)
        {
            // SMS and push carry one short line; the tenant's name tells the customer who writes.
            return new RenderedMessage(channel, pack.Language, subject, $"{tenant.Name}: {Text(kind.Short)}", null);
        }

        var paragraphs = Paragraphs(Text(kind.Body));
        var greeting = Text(pack.Greeting);
        var closing = Text(pack.Closing);
        var text = string.Join("\n\n", [greeting, .. paragraphs, closing, tenant.LegalFooter]).TrimEnd();
        return new RenderedMessage(channel, pack.Language, subject, text, Html(tenant, pack.Language, subject, greeting, paragraphs, closing));
    }

    /// <summary>A message's subject and e-mail paragraphs without greeting, closing or branding: one entry of a digest.</summary>
    public (string Subject, IReadOnlyList<string> Paragraphs) RenderEntry(NotificationEvent notification, string language, TenantProfile tenant)
    {
        var (_, kind, context) = Prepare(notification, language, tenant);
        return (kind.Subject.Render(context, NullEncoder.Default).Trim(), Paragraphs(kind.Body.Render(context, NullEncoder.Default).Trim()));
    }

    private (LanguagePack Pack, KindTemplates Kind, TemplateContext Context) Prepare(NotificationEvent notification, string language, TenantProfile tenant)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(tenant);
        var pack = _packs.TryGetValue(language, out var found) ? found : _packs[FallbackLanguage];
        var kind = Find(pack, notification.Kind) ?? Find(_packs[FallbackLanguage], notification.Kind)
            ?? pack.Kinds.GetValueOrDefault(GenericKind) ?? _packs[FallbackLanguage].Kinds[GenericKind];

        var context = new TemplateContext(Options);
        foreach (var (key, value) in notification.Data)
        {
            context.SetValue(key, FluidValue.Create(value, Options));
        }

        context.SetValue("customer_name", FluidValue.Create(notification.Recipient.Name ?? string.Empty, Options));
        context.SetValue("tenant_name", FluidValue.Create(tenant.Name, Options));
        context.SetValue("legal_footer", FluidValue.Create(tenant.LegalFooter, Options));
        return (pack, kind, context);
    }

    private static string[] Paragraphs(string body) => body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static KindTemplates? Find(LanguagePack pack, string kind) => pack.Kinds.GetValueOrDefault(kind);

    private static string Html(TenantProfile tenant, string language, string subject, string greeting, string[] paragraphs, string closing)
    {
        static string E(string value) => HtmlEncoder.Default.Encode(value);
        var colour = System.Text.RegularExpressions.Regex.IsMatch(tenant.Colour, "^#[0-9A-Fa-f]{6}$") ? tenant.Colour : "#0B5FFF";
        var body = string.Concat(paragraphs.Select(p => $"<p>{E(p).Replace("&#xA;", "<br>", StringComparison.Ordinal)}</p>"));
        return string.Create(CultureInfo.InvariantCulture,
            $"""
            <!doctype html><html lang="{E(language)}"><head><meta charset="utf-8"><title>{E(subject)}</title></head>
            <body style="font-family:sans-serif;margin:0"><div style="background:{colour};color:#fff;padding:16px;font-size:20px">{E(tenant.Name)}</div>
            <div style="padding:16px"><p>{E(greeting)}</p>{body}<p>{E(closing).Replace("&#xA;", "<br>", StringComparison.Ordinal)}</p></div>
            <div style="padding:16px;color:#666;font-size:12px;border-top:1px solid #ddd">{E(tenant.LegalFooter)}</div></body></html>
            """);
    }

    private static readonly JsonSerializerOptions SourceJson = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    private static IFluidTemplate ParseTemplate(string language, string name, string source) =>
        Parser.TryParse(source, out var template, out var error)
            ? template
            : throw new InvalidOperationException($"Template {language}/{name} does not parse: {error}");

    private sealed record LanguageSource(string Language, string Greeting, string Closing, Dictionary<string, KindSource> Kinds);

    private sealed record KindSource(string Subject, string Body, string Short);

    private sealed record KindTemplates(IFluidTemplate Subject, IFluidTemplate Body, IFluidTemplate Short);

    private sealed record LanguagePack(string Language, IFluidTemplate Greeting, IFluidTemplate Closing, FrozenDictionary<string, KindTemplates> Kinds)
    {
        public static LanguagePack Parse(LanguageSource source) => new(
            source.Language,
            ParseTemplate(source.Language, "greeting", source.Greeting),
            ParseTemplate(source.Language, "closing", source.Closing),
            source.Kinds.ToFrozenDictionary(
                k => k.Key,
                k => new KindTemplates(
                    ParseTemplate(source.Language, k.Key + ".subject", k.Value.Subject),
                    ParseTemplate(source.Language, k.Key + ".body", k.Value.Body),
                    ParseTemplate(source.Language, k.Key + ".short", k.Value.Short)),
                StringComparer.Ordinal));
    }
}
