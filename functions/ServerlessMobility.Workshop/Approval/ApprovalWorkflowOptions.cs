namespace ServerlessMobility.Workshop.Approval;

/// <summary>
/// How long the owner has to decide an estimate and how often they are reminded ("Workshop:Approval" section). Days
/// in production; tests and the fast time profile set seconds.
/// </summary>
public sealed class ApprovalWorkflowOptions
{
    /// <summary>More reminders than this would be nagging, and would grow the workflow's history without bound.</summary>
    public const int MaxReminders = 10;

    /// <summary>Time from the link being sent to each reminder, and between reminders.</summary>
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Time from the link being sent until the estimate expires undecided (at most the link's lifetime, so every link sent works until then).</summary>
    public TimeSpan Expiry { get; set; } = TimeSpan.FromDays(3);

    /// <summary>First retry of a failed notification or expiry activity (doubling, at most 10 minutes).</summary>
    public TimeSpan ActivityRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    public bool IsValid(TimeSpan linkLifetime) =>
        ReminderInterval > TimeSpan.Zero && Expiry > TimeSpan.Zero && Expiry <= linkLifetime && ActivityRetryInterval > TimeSpan.Zero
        && ApprovalSchedule.ReminderOffsets(this).Count <= MaxReminders;
}

/// <summary>When the owner is reminded of an estimate and when it expires, counted from the moment the link was sent.</summary>
public static class ApprovalSchedule
{
    /// <summary>
    /// Offsets of the reminders: every <see cref="ApprovalWorkflowOptions.ReminderInterval"/>, strictly before the
    /// expiry (a reminder at the moment the estimate expires would send a link that no longer works).
    /// </summary>
    public static IReadOnlyList<TimeSpan> ReminderOffsets(ApprovalWorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var offsets = new List<TimeSpan>();
        if (options.ReminderInterval <= TimeSpan.Zero)
        {
            return offsets;
        }

        // One past the limit is enough for the validation to refuse the settings; the loop never runs away.
        for (var at = options.ReminderInterval; at < options.Expiry && offsets.Count <= ApprovalWorkflowOptions.MaxReminders; at += options.ReminderInterval)
        {
            offsets.Add(at);
        }

        return offsets;
    }
}
