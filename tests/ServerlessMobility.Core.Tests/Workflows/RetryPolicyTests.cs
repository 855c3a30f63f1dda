using ServerlessMobility.Core.Workflows;

namespace ServerlessMobility.Core.Tests.Workflows;

public class RetryPolicyTests
{
    private static readonly WorkflowFailureDetails Failure = new("System.TimeoutException", "vehicle asleep");

    [Fact]
    public void NextDelay_ExponentialBackoff_GrowsByCoefficientUntilCapped()
    {
        var policy = new RetryPolicy(6, TimeSpan.FromSeconds(10), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromSeconds(50));

        var delays = Enumerable.Range(1, 5).Select(attempt => policy.NextDelay(attempt, TimeSpan.Zero, Failure)).ToArray();

        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(50)], delays);
    }

    [Fact]
    public void NextDelay_AfterMaxAttempts_ReturnsNull()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(1));

        Assert.NotNull(policy.NextDelay(2, TimeSpan.Zero, Failure));
        Assert.Null(policy.NextDelay(3, TimeSpan.Zero, Failure));
    }

    [Fact]
    public void NextDelay_BeyondRetryTimeout_ReturnsNull()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromMinutes(1), retryTimeout: TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.FromMinutes(1), policy.NextDelay(1, TimeSpan.FromMinutes(3), Failure));
        Assert.Null(policy.NextDelay(2, TimeSpan.FromMinutes(4.5), Failure));
    }

    [Fact]
    public void NextDelay_HandlePredicateRejects_ReturnsNull()
    {
        var policy = new RetryPolicy(5, TimeSpan.FromSeconds(1)) { Handle = failure => failure.ErrorType.Contains("Timeout", StringComparison.Ordinal) };

        Assert.NotNull(policy.NextDelay(1, TimeSpan.Zero, Failure));
        Assert.Null(policy.NextDelay(1, TimeSpan.Zero, new WorkflowFailureDetails("System.ArgumentException", "bad input")));
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(1, 0.5)]
    public void Constructor_InvalidArguments_Throws(int attempts, double coefficient)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(attempts, TimeSpan.FromSeconds(1), coefficient));
    }

    [Fact]
    public void FailureDetails_IsCausedBy_MatchesWrappedExceptionTypes()
    {
        var details = WorkflowFailureDetails.FromException(new InvalidOperationException("outer", new TimeoutException("inner")));

        Assert.True(details.IsCausedBy<InvalidOperationException>());
        Assert.True(details.IsCausedBy<TimeoutException>());
        Assert.False(details.IsCausedBy<ArgumentException>());
    }
}
