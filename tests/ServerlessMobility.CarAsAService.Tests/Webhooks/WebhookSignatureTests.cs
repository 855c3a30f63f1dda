using System.Text;
using ServerlessMobility.CarAsAService.Webhooks;

namespace ServerlessMobility.CarAsAService.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"eventId\":\"e1\"}");
    private static readonly DateTimeOffset Now = TestData.Now;
    private static readonly string Timestamp = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void IsValid_SignedWithSecret_True()
    {
        var signature = WebhookSignature.Compute("s3cret", Timestamp, Body);

        Assert.True(WebhookSignature.IsValid("s3cret", Timestamp, signature, Body, Now.AddMinutes(4), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void IsValid_OtherSecret_False()
    {
        var signature = WebhookSignature.Compute("other", Timestamp, Body);

        Assert.False(WebhookSignature.IsValid("s3cret", Timestamp, signature, Body, Now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void IsValid_TimestampOlderThanTolerance_False()
    {
        var signature = WebhookSignature.Compute("s3cret", Timestamp, Body);

        Assert.False(WebhookSignature.IsValid("s3cret", Timestamp, signature, Body, Now.AddMinutes(5).AddSeconds(1), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void IsValid_BodyChanged_False()
    {
        var signature = WebhookSignature.Compute("s3cret", Timestamp, Body);

        Assert.False(WebhookSignature.IsValid("s3cret", Timestamp, signature, Encoding.UTF8.GetBytes("{\"eventId\":\"e2\"}"), Now, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-number")]
    public void IsValid_MissingOrBadTimestamp_False(string? timestamp)
    {
        Assert.False(WebhookSignature.IsValid("s3cret", timestamp, "abc", Body, Now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void IsValid_EmptySecret_FailsClosed()
    {
        var signature = WebhookSignature.Compute(string.Empty, Timestamp, Body);

        Assert.False(WebhookSignature.IsValid(string.Empty, Timestamp, signature, Body, Now, TimeSpan.FromMinutes(5)));
    }
}
