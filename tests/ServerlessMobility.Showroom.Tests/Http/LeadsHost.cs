using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Hosting.Authentication;
using ServerlessMobility.Showroom.Leads;
using ServerlessMobility.Testing;
using ServerlessMobility.Testing.Showroom;

namespace ServerlessMobility.Showroom.Tests.Http;

/// <summary>
/// The local host in-process on the real Azurite and Cosmos server, on a fake clock started at a fixed Monday, with a
/// dealership (tenant) of its own, and, unless asked otherwise, the recording stand-in for the inventory's reservations.
/// </summary>
internal sealed class LeadsHost : IAsyncDisposable
{
    public static readonly DateTimeOffset FakeClockStart = new(2099, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private LeadsHost(LocalHostFactory factory, FakeTimeProvider time, RecordingVehicleReservations? reservations)
    {
        Factory = factory;
        Time = time;
        Reservations = reservations;
        Client = factory.CreateClient();
    }

    public LocalHostFactory Factory { get; }

    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    public RecordingVehicleReservations? Reservations { get; }

    public string Tenant { get; } = $"sr-{Guid.NewGuid():N}"[..20];

    public string Admin => Token("manager-1", "dealer-admin");

    /// <param name="withTelemetry">Runs the local host's MQTT broker and ingestion (batches of 20 ms), for cars that send telemetry.</param>
    /// <param name="services">Further changes to the host's services (a decorator that counts reads, say).</param>
    /// <param name="settings">Further settings of the host (Azure SignalR's connection string, say).</param>
    public static LeadsHost Start(PlatformEmulators emulators, bool withReservations = true, bool withTelemetry = false, Action<IServiceCollection>? services = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(FakeClockStart);
        var reservations = withReservations ? new RecordingVehicleReservations() : null;
        var factory = new LocalHostFactory(emulators) { CheckResponsesAgainstOpenApi = true };
        factory.Settings["Mqtt:Enabled"] = withTelemetry ? "true" : "false";
        factory.Settings["Telemetry:Ingestion:MaxBatchWait"] = "00:00:00.020";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            factory.Settings[key] = value;
        }

        factory.ConfigureTestServices = collection =>
        {
            collection.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
            if (reservations is not null)
            {
                collection.AddSingleton<IShowroomVehicleReservation>(reservations);
            }

            services?.Invoke(collection);
        };
        return new LeadsHost(factory, time, reservations);
    }

    /// <summary>Signed with the host's dev key on the real clock, so the token stays valid however far the fake clock moves.</summary>
    public string Token(string subject, params string[] roles) => TokenOfTenant(Tenant, subject, roles);

    public string TokenOfTenant(string tenant, string subject, params string[] roles) =>
        new DevTokenIssuer(Factory.Services.GetRequiredService<IOptions<AuthOptions>>(), TimeProvider.System).Issue(subject, tenant, roles);

    public string Staff(string subject) => Token(subject, "dealer-staff");

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null, string? idempotencyKey = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Sends and expects <paramref name="status"/>, failing with the body when the answer differs; returns the JSON body.</summary>
    public async Task<JsonElement> ExpectAsync(HttpStatusCode status, HttpMethod method, string path, string? token, object? body = null, string? idempotencyKey = null,
        string? ifMatch = null)
    {
        using var response = await SendAsync(method, path, token, body, idempotencyKey, ifMatch);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"{method} {path}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Two active salespeople, "sam" and "tess", who are also the subjects of the staff tokens.</summary>
    public async Task RosterAsync(params string[] ids)
    {
        foreach (var id in ids.Length == 0 ? ["sam", "tess"] : ids)
        {
            await ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/showroom/salespeople/{id}", Admin, new { name = $"Salesperson {id}", active = true });
        }
    }

    public static object WalkIn(string email, string? phone = null, string name = "Ada Buyer") => new
    {
        source = "WalkIn",
        name,
        email,
        phone,
        vehicleOfInterest = "veh-golf-1",
        budget = 28_000m,
        listedPrice = 30_000m,
        currency = "EUR",
        financePreApproved = true,
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
