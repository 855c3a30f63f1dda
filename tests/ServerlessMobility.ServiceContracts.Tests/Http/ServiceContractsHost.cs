using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Hosting.Authentication;
using ServerlessMobility.Testing;

namespace ServerlessMobility.ServiceContracts.Tests.Http;

/// <summary>The local host in-process on the real Azurite and Cosmos server, on a fake clock started at a fixed date.</summary>
internal sealed class ServiceContractsHost : IAsyncDisposable
{
    /// <summary>A fixed date, so prices (vehicle age), cooling-off periods and refunds are the same on every run.</summary>
    public static readonly DateTimeOffset FakeClockStart = new(2099, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private ServiceContractsHost(LocalHostFactory factory, FakeTimeProvider time)
    {
        Factory = factory;
        Time = time;
        Client = factory.CreateClient();
    }

    public LocalHostFactory Factory { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Client { get; }

    public static ServiceContractsHost Start(PlatformEmulators emulators)
    {
        var time = new FakeTimeProvider(FakeClockStart);

        // Every response a test receives is held to the OpenAPI document (issue 16 item 14).
        var factory = new LocalHostFactory(emulators) { CheckResponsesAgainstOpenApi = true };
        factory.Settings["Mqtt:Enabled"] = "false";

        // Dunning in days of the fake clock; the workflow looks at the contract every second of real time.
        factory.Settings["ServiceContracts:Payments:RetrySchedule"] = "1.00:00:00,3.00:00:00";
        factory.Settings["ServiceContracts:Payments:GracePeriod"] = "10.00:00:00";
        factory.Settings["ServiceContracts:Payments:MaxWait"] = "00:00:01";
        factory.Settings["ServiceContracts:Payments:ActivityRetryInterval"] = "00:00:01";
        factory.Settings["ServiceContracts:Renewal:ReminderLead"] = "20.00:00:00";
        factory.Settings["ServiceContracts:Renewal:AutoRenewLead"] = "7.00:00:00";
        factory.ConfigureTestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        return new ServiceContractsHost(factory, time);
    }

    /// <summary>Signed with the host's dev key on the real clock: the JWT handler checks lifetimes against the wall clock, not the fake one.</summary>
    public string Token(string subject, string tenantId, params string[] roles) =>
        new DevTokenIssuer(Factory.Services.GetRequiredService<IOptions<AuthOptions>>(), TimeProvider.System).Issue(subject, tenantId, roles);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Sends and reads the JSON answer, failing with the problem details when the status is not the expected one.</summary>
    public async Task<JsonElement> ExpectAsync(HttpStatusCode expected, HttpMethod method, string path, string token, object? body = null)
    {
        using var response = await SendAsync(method, path, token, body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Reads the contract until <paramref name="condition"/> holds: the payment workflow works in the background.</summary>
    public async Task<JsonElement> WaitForContractAsync(string id, string token, Func<JsonElement, bool> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        JsonElement view;
        do
        {
            view = await ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/service-contracts/{id}", token);
            if (condition(view))
            {
                return view;
            }

            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
        while (DateTimeOffset.UtcNow < deadline);
        Assert.Fail($"Contract {id} never reached: {what}. Last seen: {view}");
        return view;
    }

    /// <summary>The attempts to collect instalment <paramref name="number"/> as the contract shows them.</summary>
    public static JsonElement[] Attempts(JsonElement view, int number) =>
        [.. view.GetProperty("contract").GetProperty("instalments").EnumerateArray().Single(i => i.GetProperty("number").GetInt32() == number).GetProperty("attempts").EnumerateArray()];

    public static bool IsPaid(JsonElement view, int number) => Attempts(view, number).Any(a => a.GetProperty("succeeded").GetBoolean());

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
