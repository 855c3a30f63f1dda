using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.Core.Tests.Workflows;

public class RetryScheduleTests
{
    [Fact]
    public void Parse_UnorderedWithSpaces_AscendingOffsets()
    {
        var offsets = RetrySchedule.Parse(" 7.00:00:00, 3.00:00:00 ,14.00:00:00,");

        Assert.Equal([TimeSpan.FromDays(3), TimeSpan.FromDays(7), TimeSpan.FromDays(14)], offsets);
    }

    [Fact]
    public void Parse_Empty_NoRetries()
    {
        Assert.Empty(RetrySchedule.Parse(string.Empty));
        Assert.True(RetrySchedule.IsValid(string.Empty));
    }

    [Theory]
    [InlineData("3.00:00:00,soon")]
    [InlineData("00:00:00")]
    [InlineData("-1.00:00:00")]
    [InlineData("99999999.00:00:00")]
    public void IsValid_BadOrNonPositiveEntry_False(string schedule)
    {
        Assert.False(RetrySchedule.IsValid(schedule));
    }
}
