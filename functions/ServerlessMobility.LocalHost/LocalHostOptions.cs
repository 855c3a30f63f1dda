namespace ServerlessMobility.LocalHost;

public sealed class LocalHostOptions
{
    public const string SectionName = "LocalHost";

    /// <summary>Where Kestrel listens. Loopback only: the local host is never exposed to a network.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:7071";
}
