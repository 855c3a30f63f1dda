using System.Net;
using System.Net.Http.Headers;
using System.Web;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Storage.AzureStorage;
using ServerlessMobility.Testing;

namespace ServerlessMobility.Storage.Tests.Blobs;

/// <summary>Signed links to single blobs on the real Azurite (account-key service SAS), used with a plain HttpClient as a phone would.</summary>
public class BlobSasLinksTests(PlatformEmulators emulators)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UploadLink_CreatesOnce_ReadLinkServesTheBytesAsTheGivenType_NeitherDoesMore()
    {
        var prefix = PlatformEmulators.UniquePrefix();
        await using var services = StorageServices.Create(emulators, overrides: new Dictionary<string, string?> { ["Storage:ResourcePrefix"] = prefix });
        var links = services.GetRequiredService<IBlobTransferLinks>();
        var before = DateTimeOffset.UtcNow;

        var upload = await links.UploadLinkAsync("media-test", "t1/job-1/m1.jpg", TimeSpan.FromMinutes(5), Ct);

        // The container exists under the prefix before anyone uploads, and nothing is there yet.
        Assert.True(await services.GetRequiredService<StorageClients>().GetContainer("media-test").ExistsAsync(Ct));
        Assert.StartsWith($"/devstoreaccount1/{prefix}-media-test/t1/job-1/m1.jpg", upload.Url.AbsolutePath, StringComparison.Ordinal);
        Assert.Null(await links.GetAsync("media-test", "t1/job-1/m1.jpg", Ct));
        Assert.Equal(0, upload.ExpiresAt.UtcTicks % TimeSpan.TicksPerSecond);
        Assert.InRange(upload.ExpiresAt, before.AddMinutes(5).AddSeconds(-1), DateTimeOffset.UtcNow.AddMinutes(5));

        using var http = new HttpClient();
        byte[] bytes = [1, 2, 3, 4, 5];

        // Declared as a web page: the read link still answers as the type the link was made for.
        using (var put = await PutAsync(http, upload.Url, bytes, "text/html"))
        {
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        }

        using (var overwrite = await PutAsync(http, upload.Url, [9], "image/jpeg"))
        {
            Assert.False(overwrite.IsSuccessStatusCode);
        }

        using (var readThroughUpload = await http.GetAsync(upload.Url, Ct))
        {
            Assert.False(readThroughUpload.IsSuccessStatusCode);
        }

        Assert.Equal(new StoredBlob(5, "text/html"), await links.GetAsync("media-test", "t1/job-1/m1.jpg", Ct));
        var read = await links.ReadLinkAsync("media-test", "t1/job-1/m1.jpg", "image/jpeg", TimeSpan.FromMinutes(2), Ct);
        Assert.Equal("r", HttpUtility.ParseQueryString(read.Url.Query)["sp"]);
        using (var download = await http.GetAsync(read.Url, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("image/jpeg", download.Content.Headers.ContentType?.MediaType);
            Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync(Ct));
        }

        using (var writeThroughRead = await PutAsync(http, read.Url, [7], "image/jpeg"))
        {
            Assert.False(writeThroughRead.IsSuccessStatusCode);
        }
    }

    [Fact]
    public async Task Lifetime_OverAnHourOrNone_Refused()
    {
        await using var services = StorageServices.Create(emulators);
        var links = services.GetRequiredService<IBlobTransferLinks>();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => links.ReadLinkAsync("media-test", "a.jpg", "image/jpeg", TimeSpan.FromHours(2), Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => links.ReadLinkAsync("media-test", "a.jpg", "image/jpeg", TimeSpan.Zero, Ct));
    }

    private static async Task<HttpResponseMessage> PutAsync(HttpClient http, Uri url, byte[] bytes, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent(bytes) };
        request.Headers.Add("x-ms-blob-type", "BlockBlob");
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await http.SendAsync(request, Ct);
    }
}
