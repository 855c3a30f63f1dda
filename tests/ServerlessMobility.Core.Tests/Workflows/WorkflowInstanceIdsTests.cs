using ServerlessMobility.Platform.Workflows;

namespace ServerlessMobility.Core.Tests.Workflows;

public sealed class WorkflowInstanceIdsTests
{
    [Fact]
    public void TryParse_AnIdMadeByFor_GivesBackItsParts()
    {
        var id = WorkflowInstanceIds.For("dealer-a", "feature", "sub-1");

        Assert.True(WorkflowInstanceIds.TryParse(id, out var tenant, out var flow, out var entity));
        Assert.Equal(("dealer-a", "feature", "sub-1"), (tenant, flow, entity));
        Assert.True(WorkflowInstanceIds.BelongsTo(id, "dealer-a"));
        Assert.False(WorkflowInstanceIds.BelongsTo(id, "dealer"));
    }

    [Theory]
    [InlineData("no-separator")]
    [InlineData("dealer-a:feature")]
    [InlineData("dealer-a::sub-1")]
    [InlineData("dealer-a:feature:")]
    [InlineData("bad tenant:feature:sub-1")]
    [InlineData(":feature:sub-1")]
    public void TryParse_AnyOtherId_IsFalse(string instanceId) =>
        Assert.False(WorkflowInstanceIds.TryParse(instanceId, out _, out _, out _));
}
