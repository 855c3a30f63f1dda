using System.Net;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMobility.Storage.Cosmos;

namespace ServerlessMobility.RentToOwn.Tests.Http;

public class KycApiTests(SharedRentToOwnHost shared) : IClassFixture<SharedRentToOwnHost>
{
    private const string Phone = "+254712345678";
    private const string DocumentNumber = "A1234567";
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46];

    /// <summary>A customer onboarded in <paramref name="tenant"/>, a tenant no other test of the class uses, on the class's one host.</summary>
    private async Task<(RentToOwnHost Host, string Customer, string Agent)> OnboardedAsync(string tenant, string customerId)
    {
        var host = shared.Host;
        var customer = await host.TokenAsync(customerId, tenant, "customer");
        var agent = await host.TokenAsync("agent-" + customerId, tenant, "agent");
        var response = await host.SendAsync(HttpMethod.Post, "/api/customers", customer, new { phone = Phone, documentType = "national-id", documentNumber = DocumentNumber });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (host, customer, agent);
    }

    [Fact]
    public async Task Onboard_PhoneAndDocumentNumber_StoredEncryptedAndSearchableByHash()
    {
        var (host, _, agent) = await OnboardedAsync("tenant-k1", "cust-k1");
        var container = await host.Factory.Services.GetRequiredService<CosmosDatabase>().GetContainerAsync("rtoCustomers");

        using var raw = await container.ReadItemStreamAsync("cust-k1", TenantPartition.Of("tenant-k1", "cust-k1"), cancellationToken: TestContext.Current.CancellationToken);
        var stored = await new StreamReader(raw.Content).ReadToEndAsync(TestContext.Current.CancellationToken);

        Assert.Contains("phoneProtected", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("712345678", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(DocumentNumber, stored, StringComparison.Ordinal);
        var search = await host.SendAsync(HttpMethod.Post, "/api/customers/search", agent, new { phone = "+254 712-345-678" });
        var found = await RentToOwnHost.ReadAsync(search);
        Assert.Equal("cust-k1", Assert.Single(found.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("…678", found[0].GetProperty("phoneHint").GetString());
        var byDocument = await RentToOwnHost.ReadAsync(await host.SendAsync(HttpMethod.Post, "/api/customers/search", agent, new { documentNumber = "a1234567" }));
        Assert.Single(byDocument.EnumerateArray());
    }

    [Fact]
    public async Task Onboard_SameDocumentNumberForAnotherCustomer_409()
    {
        var (host, _, _) = await OnboardedAsync("tenant-k2", "cust-k2");
        var other = await host.TokenAsync("cust-k2-other", "tenant-k2", "customer");

        var response = await host.SendAsync(HttpMethod.Post, "/api/customers", other, new { phone = "+254700000001", documentType = "national-id", documentNumber = DocumentNumber });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain", new byte[] { 0x68, 0x69 }, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("image/gif", new byte[] { 0x47, 0x49, 0x46, 0x38 }, HttpStatusCode.UnsupportedMediaType)]
    [InlineData("image/png", new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, HttpStatusCode.UnprocessableEntity)]
    [InlineData("application/pdf", new byte[] { 0x3C, 0x73, 0x63, 0x72, 0x69, 0x70, 0x74 }, HttpStatusCode.UnprocessableEntity)]
    [InlineData("image/jpeg", new byte[0], HttpStatusCode.BadRequest)]
    public async Task UploadDocument_BadFile_Refused(string contentType, byte[] content, HttpStatusCode expected)
    {
        var (host, customer, _) = await OnboardedAsync("tenant-k3-" + (int)expected + contentType.Length, "cust-k3");

        var response = await host.UploadAsync("/api/customers/cust-k3/kyc/document", customer, content, contentType);

        Assert.Equal(expected, response.StatusCode);
        var view = await RentToOwnHost.ReadAsync(await host.SendAsync(HttpMethod.Get, "/api/customers/cust-k3", customer));
        Assert.Equal("NotStarted", view.GetProperty("kycStatus").GetString());
    }

    [Fact]
    public async Task UploadDocument_OverSizeLimit_422()
    {
        var (host, customer, _) = await OnboardedAsync("tenant-k4", "cust-k4");
        var big = new byte[600 * 1024 * 2];
        Jpeg.CopyTo(big, 0);

        var response = await host.UploadAsync("/api/customers/cust-k4/kyc/document", customer, big, "image/jpeg");

        Assert.True(response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.RequestEntityTooLarge, response.StatusCode.ToString());
    }

    [Fact]
    public async Task Kyc_UploadThenAgentApproves_ApprovedAndCreditScoresIt()
    {
        var (host, customer, agent) = await OnboardedAsync("tenant-k5", "cust-k5");

        var upload = await host.UploadAsync("/api/customers/cust-k5/kyc/document", customer, Png, "image/png");
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal("Pending", (await RentToOwnHost.ReadAsync(upload)).GetProperty("kycStatus").GetString());
        var selfReview = await host.SendAsync(HttpMethod.Post, "/api/customers/cust-k5/kyc/review", customer, new { approve = true });
        Assert.Equal(HttpStatusCode.Forbidden, selfReview.StatusCode);

        var review = await host.SendAsync(HttpMethod.Post, "/api/customers/cust-k5/kyc/review", agent, new { approve = true, reason = "Document matches the customer." });

        Assert.Equal("Approved", (await RentToOwnHost.ReadAsync(review)).GetProperty("kycStatus").GetString());
        var credit = await host.SendAsync(HttpMethod.Post, "/api/credit/assessments", customer, new
        {
            currency = "KES",
            monthlyIncome = 100_000m,
            vehiclePrice = 150_000m,
            deposit = 45_000m,
            financeChargeRate = 0.2m,
            frequency = "Weekly",
            numberOfInstalments = 52,
            monthsInCurrentOccupation = 30,
        });
        var decision = await RentToOwnHost.ReadAsync(credit);
        Assert.Equal("Approved", decision.GetProperty("outcome").GetString());
        Assert.Contains(decision.GetProperty("factors").EnumerateArray(), f => f.GetProperty("name").GetString() == "kyc" && f.GetProperty("points").GetInt32() == 10);
    }

    [Fact]
    public async Task Kyc_RejectWithoutReason_400_WithReason_Rejected()
    {
        var (host, customer, agent) = await OnboardedAsync("tenant-k6", "cust-k6");
        await host.UploadAsync("/api/customers/cust-k6/kyc/document", customer, Jpeg, "image/jpeg");

        var noReason = await host.SendAsync(HttpMethod.Post, "/api/customers/cust-k6/kyc/review", agent, new { approve = false });
        var withReason = await host.SendAsync(HttpMethod.Post, "/api/customers/cust-k6/kyc/review", agent, new { approve = false, reason = "Photo unreadable." });

        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var view = await RentToOwnHost.ReadAsync(withReason);
        Assert.Equal(("Rejected", "Photo unreadable."), (view.GetProperty("kycStatus").GetString(), view.GetProperty("reviewReason").GetString()));
    }

    [Fact]
    public async Task GetCustomer_AnotherCustomerOrTenant_404()
    {
        var (host, _, _) = await OnboardedAsync("tenant-k7", "cust-k7");
        var otherCustomer = await host.TokenAsync("cust-k7-other", "tenant-k7", "customer");
        var otherTenantAgent = await host.TokenAsync("agent-x", "tenant-k7-other", "agent");

        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Get, "/api/customers/cust-k7", otherCustomer)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.SendAsync(HttpMethod.Get, "/api/customers/cust-k7", otherTenantAgent)).StatusCode);
    }
}
