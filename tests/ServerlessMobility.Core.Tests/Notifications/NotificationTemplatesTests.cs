using ServerlessMobility.Platform.Notifications;

namespace ServerlessMobility.Core.Tests.Notifications;

public class NotificationTemplatesTests
{
    private static readonly NotificationTemplates Templates = new();

    private static readonly TenantProfile Tenant = new() { Name = "Acme Motors", Colour = "#112233", LegalFooter = "Acme Motors GmbH, HRB 1" };

    private static NotificationEvent Reminder(string? name = "Wanjiru") => new("e1", "instalment-reminder", "t1", new NotificationRecipient("c1", name),
        new Dictionary<string, string> { ["plan_id"] = "p7", ["amount"] = "5400.00 KES", ["due_date"] = "2026-12-09" });

    [Theory]
    [InlineData("en", "Instalment of 5400.00 KES due on 2026-12-09", "Hello Wanjiru,")]
    [InlineData("es", "Cuota de 5400.00 KES con vencimiento el 2026-12-09", "Hola Wanjiru:")]
    [InlineData("fr", "Échéance de 5400.00 KES le 2026-12-09", "Bonjour Wanjiru,")]
    [InlineData("de", "Rate von 5400.00 KES fällig am 2026-12-09", "Hallo Wanjiru,")]
    [InlineData("sw", "Malipo ya 5400.00 KES yanadaiwa tarehe 2026-12-09", "Habari Wanjiru,")]
    public void Render_ReminderEmail_InTheCustomersLanguageWithBranding(string language, string subject, string greeting)
    {
        var message = Templates.Render(Reminder(), NotificationChannel.Email, language, Tenant);

        Assert.Equal((language, subject), (message.Language, message.Subject));
        Assert.StartsWith(greeting, message.Text, StringComparison.Ordinal);
        Assert.EndsWith("Acme Motors GmbH, HRB 1", message.Text, StringComparison.Ordinal);
        Assert.Contains("background:#112233", message.Html, StringComparison.Ordinal);
        Assert.Contains($"lang=\"{language}\"", message.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Sms_OneLineWithTheTenantsName()
    {
        var message = Templates.Render(Reminder(), NotificationChannel.Sms, "en", Tenant);

        Assert.Equal("Acme Motors: Reminder: 5400.00 KES due on 2026-12-09 for plan p7.", message.Text);
        Assert.Null(message.Html);
    }

    [Fact]
    public void Render_NoName_GreetsWithoutOne()
    {
        Assert.StartsWith("Hallo,", Templates.Render(Reminder(name: null), NotificationChannel.Email, "de", Tenant).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HtmlEscapesData()
    {
        var notification = Reminder() with { Data = new Dictionary<string, string> { ["plan_id"] = "<script>", ["amount"] = "1", ["due_date"] = "d" } };

        var html = Templates.Render(notification, NotificationChannel.Email, "en", Tenant).Html!;

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_KindWithoutTemplates_ShowsTheProductLinesMessage()
    {
        var notification = new NotificationEvent("e2", "feature-invoice-paid", "t1", new NotificationRecipient("c1"),
            new Dictionary<string, string> { ["message"] = "Your feature invoice is paid." });

        Assert.Contains("Your feature invoice is paid.", Templates.Render(notification, NotificationChannel.Email, "fr", Tenant).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de-AT", "de")]
    [InlineData("SW", "sw")]
    [InlineData("pt-BR", "en")]
    [InlineData(null, "en")]
    public void ResolveLanguage_FirstSupportedPrimaryLanguage(string? preferred, string expected) =>
        Assert.Equal(expected, Templates.ResolveLanguage(preferred));

    [Fact]
    public void EveryLanguage_HasEveryKindOfEnglish()
    {
        Assert.Equal(["de", "en", "es", "fr", "sw"], Templates.Languages.Order(StringComparer.Ordinal));
        foreach (var language in Templates.Languages)
        {
            Assert.All(Templates.Kinds.Where(k => k != NotificationTemplates.GenericKind), kind => Assert.True(Templates.HasKind(language, kind), $"{language} lacks {kind}"));
        }
    }
}

public class CountryLanguagesTests
{
    [Theory]
    [InlineData("ES", "es")]
    [InlineData("es", "es")]
    [InlineData("DE", "de")]
    [InlineData("KE", "sw")]
    [InlineData("US", "en")]
    public void For_Country_UsualLanguage(string country, string expected) => Assert.Equal(expected, CountryLanguages.For(country));

    [Fact]
    public void Render_AccountCreatedInSpanish()
    {
        var message = new NotificationTemplates().Render(new NotificationEvent("e", "account-created", "t", new NotificationRecipient("c", "Ana", Language: "es"),
            new Dictionary<string, string>()), NotificationChannel.Email, new NotificationTemplates().ResolveLanguage(null, "es", "en"), new TenantProfile());
        Assert.Equal("Bienvenido a ServerlessMobility", message.Subject);
    }
}
