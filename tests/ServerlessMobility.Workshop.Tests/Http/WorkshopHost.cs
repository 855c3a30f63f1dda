using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ServerlessMobility.Hosting.Authentication;
using ServerlessMobility.Platform.Notifications;
using ServerlessMobility.Storage.AzureStorage;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Workshop.Tests.Http;

/// <summary>
/// The local host in-process on the real Azurite and Cosmos server, on a fake clock started at a fixed Monday, with a
/// tenant of its own per test so tests never see each other's bays, slots or stock.
/// </summary>
internal sealed class WorkshopHost : IAsyncDisposable
{
    public static readonly DateTimeOffset FakeClockStart = new(2099, 1, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>The Tuesday after, 08:00 UTC: inside the technicians' shift.</summary>
    public static readonly DateTimeOffset TuesdayEight = FakeClockStart.AddDays(1).AddHours(-1);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private WorkshopHost(LocalHostFactory factory, FakeTimeProvider time)
    {
        Factory = factory;
        Time = time;
        Client = factory.CreateClient();
    }

    public LocalHostFactory Factory { get; }

    public HttpClient Client { get; }

    public FakeTimeProvider Time { get; }

    public string Tenant { get; } = $"ws-{Guid.NewGuid():N}"[..20];

    /// <param name="reminderInterval">The approval workflow's reminders, on the real clock (durable timers); a day unless given.</param>
    /// <param name="approvalExpiry">When an undecided estimate expires, on the real clock; three days unless given.</param>
    /// <param name="settings">More host settings ("Workshop:BookingReminderLead", ...).</param>
    public static WorkshopHost Start(PlatformEmulators emulators, TimeSpan? reminderInterval = null, TimeSpan? approvalExpiry = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var time = new FakeTimeProvider(FakeClockStart);

        // Every response a test receives is held to the OpenAPI document.
        var factory = new LocalHostFactory(emulators) { CheckResponsesAgainstOpenApi = true };
        factory.Settings["Mqtt:Enabled"] = "false";
        if (reminderInterval is { } interval)
        {
            factory.Settings["Workshop:Approval:ReminderInterval"] = interval.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }

        if (approvalExpiry is { } expiry)
        {
            factory.Settings["Workshop:Approval:Expiry"] = expiry.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }

        factory.Settings["Workshop:Approval:ActivityRetryInterval"] = "00:00:01";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            factory.Settings[key] = value;
        }

        factory.ConfigureTestServices = services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        return new WorkshopHost(factory, time);
    }

    /// <summary>Signed with the host's dev key on the real clock, so the token stays valid however far the fake clock moves.</summary>
    public string Token(string subject, params string[] roles) =>
        new DevTokenIssuer(Factory.Services.GetRequiredService<IOptions<AuthOptions>>(), TimeProvider.System).Issue(subject, Tenant, roles);

    public string Staff => Token("advisor-1", "workshop-staff");

    /// <summary>A token of another tenant than this host's (to show a job of this one is invisible there).</summary>
    public string TokenOfTenant(string tenant, string subject, params string[] roles) =>
        new DevTokenIssuer(Factory.Services.GetRequiredService<IOptions<AuthOptions>>(), TimeProvider.System).Issue(subject, tenant, roles);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Sends and expects <paramref name="status"/>, failing with the body when the answer differs; returns the JSON body.</summary>
    public async Task<JsonElement> ExpectAsync(HttpStatusCode status, HttpMethod method, string path, string? token, object? body = null)
    {
        using var response = await SendAsync(method, path, token, body);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"{method} {path}: expected {(int)status}, got {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A bay, technicians with the "service" skill on Tuesday 08:00-16:00, and parts in stock at "main".</summary>
    public async Task SetUpWorkshopAsync(int technicians = 1, int pads = 3, params string[] bays)
    {
        foreach (var bay in bays.Length == 0 ? ["bay-1"] : bays)
        {
            await ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/workshop/bays/{bay}", Staff, new { name = $"Bay {bay}", location = "main" });
        }

        for (var i = 1; i <= technicians; i++)
        {
            await ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/workshop/technicians/tech-{i}", Staff, new
            {
                name = $"Technician {i}",
                skills = new[] { "service", "brakes" },
                shifts = new[] { new { day = "Tuesday", start = "08:00:00", end = "16:00:00" } },
            });
        }

        await ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/api/workshop/parts/main/PAD-1", Staff,
            new { description = "Brake pads", unitPrice = 45.50m, currency = "EUR", onHand = pads, reorderLevel = 1 });
        await ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, "/api/workshop/parts/main/WIP-1", Staff,
            new { description = "Wiper blades", unitPrice = 19.99m, currency = "EUR", onHand = 5, reorderLevel = 1 });
    }

    public static object Estimate() => new
    {
        lines = new object[]
        {
            new { id = "labour", kind = "Labour", description = "Brake service", quantity = 1.5m, unitPrice = 80m },
            new { id = "pads", kind = "Part", description = "Brake pads", quantity = 2, unitPrice = 45.50m, sku = "PAD-1", location = "main" },
            new { id = "wipers", kind = "Part", description = "Wiper blades", quantity = 1, unitPrice = 19.99m, sku = "WIP-1", location = "main" },
        },
    };

    public static object WipersDeclined() => new
    {
        decisions = new object[] { new { lineId = "labour", approved = true }, new { lineId = "pads", approved = true }, new { lineId = "wipers", approved = false } },
    };

    /// <summary>Books as <paramref name="ownerId"/>, checks in, inspects and estimates, then sends the owner the approval link.</summary>
    /// <returns>The job id and the approval link.</returns>
    public async Task<(string JobId, string Link)> DriveToLinkSentAsync(string ownerId, string bay, DateTimeOffset start)
    {
        var owner = Token(ownerId, "customer");
        var booking = await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/workshop/bookings", owner,
            new { customerId = ownerId, vehicleId = "WVWZZZ1JZXW000001", bayId = bay, skill = "service", start, hours = 2 });
        var job = await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/workshop/bookings/{booking.GetProperty("id").GetString()}/check-in", Staff,
            new { odometerKm = 42_000, fuelLevelPercent = 60, photos = new[] { "front.jpg" } });
        var jobId = job.GetProperty("id").GetString()!;
        await ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/status", Staff, new { status = "Inspecting" });
        await ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/workshop/jobs/{jobId}/estimate", Staff, Estimate());
        var link = (await ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/approval-links", Staff)).GetProperty("url").GetString()!;
        return (jobId, link);
    }

    /// <summary>
    /// Books as the owner, checks in, inspects, estimates, sends the link and approves it with the wipers declined.
    /// </summary>
    /// <returns>The job id, the owner's token and the approval link.</returns>
    public async Task<(string JobId, string Owner, string Link)> DriveToApprovedAsync(string bay, DateTimeOffset start)
    {
        var ownerId = $"owner-{Guid.NewGuid():N}"[..20];
        var owner = Token(ownerId, "customer");
        var booking = await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, "/api/workshop/bookings", owner,
            new { customerId = ownerId, vehicleId = "WVWZZZ1JZXW000001", bayId = bay, skill = "service", start, hours = 2 });
        var bookingId = booking.GetProperty("id").GetString()!;
        var job = await ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/workshop/bookings/{bookingId}/check-in", Staff,
            new { odometerKm = 42_000, fuelLevelPercent = 60, photos = new[] { "front.jpg", "brakes.jpg" } });
        var jobId = job.GetProperty("id").GetString()!;
        await ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/status", Staff, new { status = "Inspecting" });
        await ExpectAsync(HttpStatusCode.OK, HttpMethod.Put, $"/api/workshop/jobs/{jobId}/estimate", Staff, Estimate());
        var link = (await ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/approval-links", Staff)).GetProperty("url").GetString()!;
        await ExpectAsync(HttpStatusCode.OK, HttpMethod.Post, link, null, WipersDeclined());
        return (jobId, owner, link);
    }

    /// <summary>
    /// An owner who saved a phone number and a language in their notification preferences: the workshop's messages
    /// reach them by SMS, in that language.
    /// </summary>
    public async Task<string> ReachableOwnerAsync(string language = "en")
    {
        var ownerId = $"owner-{language}-{Guid.NewGuid():N}"[..20];
        await Factory.Services.GetRequiredService<INotificationPreferenceStore>()
            .SaveAsync(new NotificationPreferences(Tenant, ownerId, Language: language, Phone: "+4915112345678"), TestContext.Current.CancellationToken);
        return ownerId;
    }

    /// <summary>The SMS the capability sent for <paramref name="eventId"/>, as the local sink handed it to the provider: its kind, language and text.</summary>
    public async Task<(string Kind, string Language, string Text)> SentSmsAsync(string eventId)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var deliveries = Factory.Services.GetRequiredService<INotificationDeliveryStore>();
        var found = await Eventually.UntilAsync(() => deliveries.ListForEventAsync(Tenant, eventId, cancellationToken),
            list => list.Any(d => d.Channel == NotificationChannel.Sms && d.Status == DeliveryStatus.Sent), $"SMS {eventId} sent");
        var sms = Assert.Single(found, d => d.Channel == NotificationChannel.Sms);
        var content = await Factory.Services.GetRequiredService<StorageClients>().GetContainer("notification-sink").GetBlobClient(sms.ProviderMessageId!)
            .DownloadContentAsync(cancellationToken);
        using var json = JsonDocument.Parse(content.Value.Content.ToString());
        return (sms.Kind, json.RootElement.GetProperty("Language").GetString()!, json.RootElement.GetProperty("Text").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
    }
}
