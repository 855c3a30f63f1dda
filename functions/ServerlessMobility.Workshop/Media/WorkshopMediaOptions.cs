namespace ServerlessMobility.Workshop.Media;

/// <summary>Photos and videos of a job ("Workshop:Media"): how long the signed links live and how large an upload may be.</summary>
public sealed class WorkshopMediaOptions
{
    /// <summary>How long staff have to start the upload once they asked for the slot.</summary>
    public TimeSpan UploadLinkLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a link shown with the job or on the owner's approval page downloads the file.</summary>
    public TimeSpan ReadLinkLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The largest file shown. A signed upload link cannot limit the size, so a larger upload is stored but never
    /// listed with a link (staff see it as too large).
    /// </summary>
    public long MaxBytes { get; set; } = 200L * 1024 * 1024;

    public bool IsValid() =>
        UploadLinkLifetime > TimeSpan.Zero && UploadLinkLifetime <= Platform.Persistence.IBlobTransferLinks.MaxLifetime
        && ReadLinkLifetime > TimeSpan.Zero && ReadLinkLifetime <= Platform.Persistence.IBlobTransferLinks.MaxLifetime
        && MaxBytes > 0;
}
