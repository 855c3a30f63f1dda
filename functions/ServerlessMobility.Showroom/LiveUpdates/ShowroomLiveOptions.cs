using Microsoft.Extensions.Options;
using ServerlessMobility.Platform.LiveUpdates.AzureSignalR;

namespace ServerlessMobility.Showroom.LiveUpdates;

/// <summary>
/// Azure SignalR Service for the showroom's live changes. Set the connection string and every instance sends each
/// change to the dealership's groups there (as well as to its own server-sent event streams); leave it empty and the
/// server-sent events are the only live streams, right for one instance.
/// </summary>
public sealed class ShowroomLiveOptions
{
    public const string SectionName = "Showroom:Live:AzureSignalR";

    /// <summary><c>Endpoint=https://{name}.service.signalr.net;AccessKey=...;Version=1.0;</c> (a Key Vault reference in Azure); empty: not used.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The hub the showroom's clients connect to (letters, digits, underscores).</summary>
    public string Hub { get; set; } = "showroom";

    /// <summary>How long a negotiated client token, and the group memberships given with it, last; a client negotiates again to go on.</summary>
    public TimeSpan ClientTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one call to the service may take before it counts as failed.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Changes waiting to be sent; when the service falls this far behind, the oldest are dropped (and logged).</summary>
    public int QueueCapacity { get; set; } = 1000;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString);
}

/// <summary>A wrong connection string stops the app at start-up, with a message that names the fault and not the key.</summary>
internal sealed class ShowroomLiveOptionsValidation : IValidateOptions<ShowroomLiveOptions>
{
    public ValidateOptionsResult Validate(string? name, ShowroomLiveOptions options)
    {
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        try
        {
            AzureSignalRConnection.Parse(options.ConnectionString);
        }
        catch (FormatException e)
        {
            failures.Add($"{ShowroomLiveOptions.SectionName}:ConnectionString: {e.Message}");
        }

        if (!AzureSignalRClient.IsHubName(options.Hub))
        {
            failures.Add($"{ShowroomLiveOptions.SectionName}:Hub: letters, digits and underscores, starting with a letter.");
        }

        if (options.ClientTokenLifetime < TimeSpan.FromMinutes(1) || options.ClientTokenLifetime > TimeSpan.FromDays(1))
        {
            failures.Add($"{ShowroomLiveOptions.SectionName}:ClientTokenLifetime: 1 minute to 1 day.");
        }

        if (options.SendTimeout <= TimeSpan.Zero || options.SendTimeout > TimeSpan.FromMinutes(2))
        {
            failures.Add($"{ShowroomLiveOptions.SectionName}:SendTimeout: positive, at most 2 minutes.");
        }

        if (options.QueueCapacity is < 1 or > 100_000)
        {
            failures.Add($"{ShowroomLiveOptions.SectionName}:QueueCapacity: 1 to 100,000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
