namespace ServerlessMobility.Core.Workflows;

/// <summary>A failure as recorded in history: serialisable, so it survives replay and process restarts.</summary>
public sealed record WorkflowFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace = null, WorkflowFailureDetails? InnerFailure = null)
{
    public static WorkflowFailureDetails FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is WorkflowTaskFailedException taskFailed)
        {
            return new WorkflowFailureDetails(exception.GetType().FullName!, exception.Message, exception.StackTrace, taskFailed.FailureDetails);
        }

        return new WorkflowFailureDetails(
            exception.GetType().FullName!,
            exception.Message,
            exception.StackTrace,
            exception.InnerException is null ? null : FromException(exception.InnerException));
    }

    /// <summary>True when this failure, or one it wraps, was caused by an exception of type <typeparamref name="T"/>.</summary>
    public bool IsCausedBy<T>() where T : Exception
    {
        for (var failure = this; failure is not null; failure = failure.InnerFailure)
        {
            var type = Type.GetType(failure.ErrorType, throwOnError: false)
                ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(failure.ErrorType, throwOnError: false)).FirstOrDefault(t => t is not null);
            if (type is not null && typeof(T).IsAssignableFrom(type))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>An activity or sub-workflow failed (after all retries); the workflow may catch it and compensate.</summary>
public sealed class WorkflowTaskFailedException : Exception
{
    public WorkflowTaskFailedException(string taskName, int taskId, WorkflowFailureDetails failureDetails)
        : base($"Task '{taskName}' (#{taskId}) failed: {failureDetails?.ErrorType}: {failureDetails?.ErrorMessage}")
    {
        ArgumentNullException.ThrowIfNull(failureDetails);
        TaskName = taskName;
        TaskId = taskId;
        FailureDetails = failureDetails;
    }

    public WorkflowTaskFailedException()
        : this(string.Empty, -1, new WorkflowFailureDetails(string.Empty, string.Empty))
    {
    }

    public WorkflowTaskFailedException(string message)
        : this(string.Empty, -1, new WorkflowFailureDetails(string.Empty, message ?? string.Empty))
    {
    }

    public WorkflowTaskFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        TaskName = string.Empty;
        FailureDetails = WorkflowFailureDetails.FromException(innerException);
    }

    public string TaskName { get; }

    public int TaskId { get; }

    public WorkflowFailureDetails FailureDetails { get; }
}

/// <summary>No external event arrived before the timeout given to <see cref="IWorkflowContext.WaitForExternalEvent{T}"/>.</summary>
public sealed class WorkflowEventTimeoutException : TimeoutException
{
    public WorkflowEventTimeoutException(string eventName, TimeSpan timeout)
        : base($"External event '{eventName}' did not arrive within {timeout}.")
    {
        EventName = eventName;
        Timeout = timeout;
    }

    public WorkflowEventTimeoutException()
        : this(string.Empty, TimeSpan.Zero)
    {
    }

    public WorkflowEventTimeoutException(string message)
        : base(message)
    {
        EventName = string.Empty;
    }

    public WorkflowEventTimeoutException(string message, Exception innerException)
        : base(message, innerException)
    {
        EventName = string.Empty;
    }

    public string EventName { get; }

    public TimeSpan Timeout { get; }
}

/// <summary>The workflow's code asked for something its recorded history does not contain at that point.</summary>
public sealed class NonDeterministicWorkflowException : Exception
{
    public NonDeterministicWorkflowException()
    {
    }

    public NonDeterministicWorkflowException(string message)
        : base(message)
    {
    }

    public NonDeterministicWorkflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
