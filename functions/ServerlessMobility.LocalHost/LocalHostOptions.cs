namespace ServerlessMobility.LocalHost;

public sealed class LocalHostOptions
{
    public const string SectionName = "LocalHost";

    /// <summary>Where Kestrel listens. Loopback only: the local host is never exposed to a network.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:7071";

    /// <summary>
    /// A time profile of TimeProfiles/ (<c>fast</c>: one day becomes 10 seconds) laid over local.settings.json;
    /// empty for the real waits. The run command sets it with <c>--profile</c>.
    /// </summary>
    public string TimeProfile { get; set; } = string.Empty;
}
