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

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
