using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Web;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Workshop.Tests.Http;

/// <summary>
/// Photos and videos over HTTP on the real Azurite: the API hands out a signed upload link, the bytes go straight to
/// Blob storage with a plain HttpClient, and the job and the owner's approval page list the file with a read link.
/// </summary>
public class JobMediaTests(PlatformEmulators emulators)
{
    private static readonly byte[] Photo = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0xFF, 0xD9];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UploadThroughTheSignedLink_ListedWithAReadLinkThatDownloadsTheSameBytes()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync();
        var ownerId = $"owner-{Guid.NewGuid():N}"[..20];
        var (jobId, link) = await host.DriveToLinkSentAsync(ownerId, "bay-1", WorkshopHost.TuesdayEight);

        var slot = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/media", host.Staff,
            new { fileName = "worn-pads.jpg", contentType = "image/jpeg", estimateLineId = "pads", caption = "Pads worn to 2 mm" });
        var uploadUrl = new Uri(slot.GetProperty("uploadUrl").GetString()!);
        var expiresAt = slot.GetProperty("expiresAt").GetDateTimeOffset();

        // Valid for Workshop:Media:UploadLinkLifetime (10 minutes) from the clock's now, create-only, for one blob on loopback.
        Assert.Equal(WorkshopHost.FakeClockStart.AddMinutes(10), expiresAt);
        var sas = HttpUtility.ParseQueryString(uploadUrl.Query);
        Assert.Equal((expiresAt, "c", "b"), (DateTimeOffset.Parse(sas["se"]!, System.Globalization.CultureInfo.InvariantCulture), sas["sp"], sas["sr"]));
        Assert.True(uploadUrl.IsLoopback);
        Assert.EndsWith($"/{host.Tenant}/{jobId}/{slot.GetProperty("media").GetProperty("id").GetString()}.jpg", uploadUrl.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("Pending", slot.GetProperty("media").GetProperty("status").GetString());

        // A second slot nobody uploads to.
        await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/media", host.Staff,
            new { fileName = "noise.mov", contentType = "video/quicktime" });

        using var blobs = new HttpClient();
        using (var put = await PutAsync(blobs, uploadUrl, slot, Photo))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        // The link creates once: it cannot replace what was uploaded.
        using (var again = await PutAsync(blobs, uploadUrl, slot, [1, 2, 3]))
        {
            Assert.False(again.IsSuccessStatusCode, $"A second PUT through the create-only link answered {(int)again.StatusCode}.");
        }

        // Staff see both slots; only the uploaded one has a link, valid for the read lifetime (15 minutes).
        host.Time.Advance(TimeSpan.FromMinutes(1));
        var job = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/jobs/{jobId}", host.Staff);
        var media = job.GetProperty("media").EnumerateArray().ToList();
        Assert.Equal(["Uploaded", "Pending"], media.Select(m => m.GetProperty("status").GetString()));
        var uploaded = media[0];
        Assert.Equal(("pads", "Pads worn to 2 mm", Photo.Length), (uploaded.GetProperty("estimateLineId").GetString(), uploaded.GetProperty("caption").GetString(),
            uploaded.GetProperty("size").GetInt32()));
        Assert.False(media[1].TryGetProperty("url", out var pendingUrl) && pendingUrl.ValueKind != JsonValueKind.Null);
        var readUrl = new Uri(uploaded.GetProperty("url").GetString()!);
        var read = HttpUtility.ParseQueryString(readUrl.Query);
        Assert.Equal(WorkshopHost.FakeClockStart.AddMinutes(16), uploaded.GetProperty("urlExpiresAt").GetDateTimeOffset());
        Assert.Equal((uploaded.GetProperty("urlExpiresAt").GetDateTimeOffset(), "r"), (DateTimeOffset.Parse(read["se"]!, System.Globalization.CultureInfo.InvariantCulture), read["sp"]));

        using (var download = await blobs.GetAsync(readUrl, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("image/jpeg", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal(Photo, await download.Content.ReadAsByteArrayAsync(Ct));
        }

        // The read link reads only: it neither writes nor lists.
        using (var write = await PutAsync(blobs, readUrl, slot, [1]))
        {
            Assert.False(write.IsSuccessStatusCode);
        }

        // The owner, signed in or through the approval link, sees the uploaded photo only.
        var asOwner = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/jobs/{jobId}", host.Token(ownerId, "customer"));
        Assert.Equal(uploaded.GetProperty("id").GetString(), Assert.Single(asOwner.GetProperty("media").EnumerateArray()).GetProperty("id").GetString());
        var page = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, link, token: null);
        var onPage = Assert.Single(page.GetProperty("media").EnumerateArray());
        Assert.Equal(("pads", "Uploaded"), (onPage.GetProperty("estimateLineId").GetString(), onPage.GetProperty("status").GetString()));
        using (var fromPage = await blobs.GetAsync(onPage.GetProperty("url").GetString(), Ct))
        {
            Assert.Equal(Photo, await fromPage.Content.ReadAsByteArrayAsync(Ct));
        }
    }

    [Fact]
    public async Task WrongTypeUnknownLineOrAnotherTenantsJob_RefusedAndNothingRecorded()
    {
        await using var host = WorkshopHost.Start(emulators);
        await host.SetUpWorkshopAsync();
        var (jobId, _) = await host.DriveToLinkSentAsync($"owner-{Guid.NewGuid():N}"[..20], "bay-1", WorkshopHost.TuesdayEight);
        var path = $"/api/workshop/jobs/{jobId}/media";

        var notMedia = await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, path, host.Staff, new { fileName = "invoice.html", contentType = "text/html" });
        Assert.True(notMedia.GetProperty("errors").TryGetProperty("fileName", out _));
        var mismatch = await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, path, host.Staff, new { fileName = "pads.jpg", contentType = "video/mp4" });
        Assert.True(mismatch.GetProperty("errors").TryGetProperty("contentType", out _));
        await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, path, host.Staff, new { fileName = "../pads.jpg", contentType = "image/jpeg" });
        await host.ExpectAsync(HttpStatusCode.BadRequest, HttpMethod.Post, path, host.Staff, new { fileName = "pads.jpg", contentType = "image/jpeg", estimateLineId = "tyres" });
        await host.ExpectAsync(HttpStatusCode.Forbidden, HttpMethod.Post, path, host.Token("owner-x", "customer"), new { fileName = "pads.jpg", contentType = "image/jpeg" });

        var otherTenant = host.TokenOfTenant($"ws-other-{Guid.NewGuid():N}"[..20], "advisor-9", "workshop-staff");
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Post, path, otherTenant, new { fileName = "pads.jpg", contentType = "image/jpeg" });
        await host.ExpectAsync(HttpStatusCode.NotFound, HttpMethod.Get, $"/api/workshop/jobs/{jobId}", otherTenant);

        var job = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/jobs/{jobId}", host.Staff);
        Assert.Empty(job.GetProperty("media").EnumerateArray());
    }

    [Fact]
    public async Task UploadOverTheSizeLimit_StaffSeeItAsTooLargeWithoutALink_TheOwnerDoesNotSeeIt()
    {
        await using var host = WorkshopHost.Start(emulators, settings: new Dictionary<string, string> { ["Workshop:Media:MaxBytes"] = "8" });
        await host.SetUpWorkshopAsync();
        var (jobId, link) = await host.DriveToLinkSentAsync($"owner-{Guid.NewGuid():N}"[..20], "bay-1", WorkshopHost.TuesdayEight);
        var slot = await host.ExpectAsync(HttpStatusCode.Created, HttpMethod.Post, $"/api/workshop/jobs/{jobId}/media", host.Staff,
            new { fileName = "pads.jpg", contentType = "image/jpeg" });
        Assert.Equal(8, slot.GetProperty("maxBytes").GetInt64());

        using var blobs = new HttpClient();
        using (var put = await PutAsync(blobs, new Uri(slot.GetProperty("uploadUrl").GetString()!), slot, Photo))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        var job = await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, $"/api/workshop/jobs/{jobId}", host.Staff);
        var tooLarge = Assert.Single(job.GetProperty("media").EnumerateArray());
        Assert.Equal(("TooLarge", Photo.Length), (tooLarge.GetProperty("status").GetString(), tooLarge.GetProperty("size").GetInt32()));
        Assert.False(tooLarge.TryGetProperty("url", out var url) && url.ValueKind != JsonValueKind.Null);
        Assert.Empty((await host.ExpectAsync(HttpStatusCode.OK, HttpMethod.Get, link, token: null)).GetProperty("media").EnumerateArray());
    }

    /// <summary>What a phone does with the slot: PUT the bytes with the headers it names.</summary>
    private static async Task<HttpResponseMessage> PutAsync(HttpClient client, Uri url, JsonElement slot, byte[] bytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes) };
        foreach (var header in slot.GetProperty("headers").EnumerateObject())
        {
            request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
        }

        request.Content.Headers.ContentType = new MediaTypeHeaderValue(slot.GetProperty("media").GetProperty("contentType").GetString()!);
        return await client.SendAsync(request, Ct);
    }
}
