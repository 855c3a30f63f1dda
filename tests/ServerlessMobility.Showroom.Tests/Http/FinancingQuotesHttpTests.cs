using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessMobility.Hosting.Authentication;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>The financing-quote route through the local host's real pipeline (authentication, validation, problem details, OpenAPI).</summary>
public sealed class FinancingQuotesHttpTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoOffers_AreAnsweredSideBySide_AndBadInputIsAProblemNotA500()
    {
        await using var factory = new LocalHostFactory(emulators) { CheckResponsesAgainstOpenApi = true };
        factory.Settings["Mqtt:Enabled"] = "false";
        using var client = factory.CreateClient();
        var token = new DevTokenIssuer(factory.Services.GetRequiredService<IOptions<AuthOptions>>(), TimeProvider.System)
            .Issue("customer-1", $"sr-{Guid.NewGuid():N}"[..20], ["customer"]);

        // The two offers of FinanceCalculatorTests: 10,000 at 5 % over 36 (299.71) and 27,000 less a 10,000 balloon at 4.9 % (549.58).
        var (status, body) = await PostAsync(client, token, new
        {
            vehiclePrice = 30000m,
            currency = "EUR",
            country = "de",
            offers = new object[]
            {
                new { deposit = 20000m, balloon = 0m, termMonths = 36, annualRate = 0.05m },
                new { deposit = 3000m, balloon = 10000m, termMonths = 36, annualRate = 0.049m, fees = 0m },
            },
        });

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        Assert.Equal("DE", body.GetProperty("country").GetString());
        var offers = body.GetProperty("offers");
        Assert.Equal(2, offers.GetArrayLength());
        Assert.Equal(299.71m, offers[0].GetProperty("monthlyPayment").GetDecimal());
        Assert.Equal("5.1 %", offers[0].GetProperty("aprText").GetString());
        Assert.Equal(36, offers[0].GetProperty("schedule").GetArrayLength());
        Assert.Equal(549.58m, offers[1].GetProperty("monthlyPayment").GetDecimal());
        Assert.Equal(37, offers[1].GetProperty("schedule").GetArrayLength());
        Assert.True(offers[1].GetProperty("schedule")[36].GetProperty("isBalloon").GetBoolean());

        // A term out of range is a field error; a country without APR rules is a business rule, by code.
        (status, body) = await PostAsync(client, token, new { vehiclePrice = 30000m, currency = "EUR", country = "DE", offers = new[] { new { deposit = 0m, balloon = 0m, termMonths = 120, annualRate = 0.05m } } });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty("offers[0].termMonths", out _), body.ToString());

        (status, body) = await PostAsync(client, token, new { vehiclePrice = 30000m, currency = "BRL", country = "BR", offers = new[] { new { deposit = 0m, balloon = 0m, termMonths = 36, annualRate = 0.05m } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("financing-country", body.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/showroom/financing-quotes") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
