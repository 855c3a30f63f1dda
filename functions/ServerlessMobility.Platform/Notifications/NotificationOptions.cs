namespace ServerlessMobility.Platform.Notifications;

public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>The language of customers who chose none and whose product line knows none.</summary>
    public string DefaultLanguage { get; set; } = "en";

    /// <summary>The IANA time zone for quiet hours of customers who chose none.</summary>
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>Attempts per message before it is marked failed (a bad address fails at once).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the second attempt; each later one waits twice as long as the one before.</summary>
    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the dispatcher looks for deferred and retried messages whose time has come.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Smtp (local: maildev; any SMTP relay) or Acs (Azure Communication Services).</summary>
    public string EmailChannel { get; set; } = "Smtp";

    /// <summary>LocalSink (a blob a person can read) or Acs.</summary>
    public string SmsChannel { get; set; } = "LocalSink";

    /// <summary>The address e-mail comes from when the tenant has none of its own.</summary>
    public string FromAddress { get; set; } = "no-reply@serverless-mobility.local";

    public TimeSpan RetryDelay(int failedAttempts) =>
        TimeSpan.FromTicks(FirstRetry.Ticks * (1L << Math.Clamp(failedAttempts - 1, 0, 16)));
}

/// <summary>A tenant's branding and legal details, shown in messages and on documents.</summary>
public sealed class TenantProfile
{
    public string Name { get; set; } = "ServerlessMobility";

    public string LegalName { get; set; } = "ServerlessMobility Ltd";

    /// <summary>The brand colour, #rrggbb.</summary>
    public string Colour { get; set; } = "#0B5FFF";

    public string Address { get; set; } = string.Empty;

    /// <summary>The tenant's tax registration number (VAT id) printed on invoices.</summary>
    public string TaxId { get; set; } = string.Empty;

    /// <summary>ISO 3166-1 alpha-2 country of the seller.</summary>
    public string Country { get; set; } = "DE";

    /// <summary>The legal line every message and document ends with (registered office, register number).</summary>
    public string LegalFooter { get; set; } = string.Empty;

    /// <summary>The tenant's own sender address; empty uses Notifications:FromAddress.</summary>
    public string FromAddress { get; set; } = string.Empty;
}

/// <summary>Tenant profiles from configuration (Tenants:Profiles:{tenantId}:Name, ...); a tenant without one gets <see cref="Default"/>.</summary>
public sealed class TenantProfileOptions
{
    public const string SectionName = "Tenants";

    public TenantProfile Default { get; set; } = new();

    public Dictionary<string, TenantProfile> Profiles { get; set; } = new(StringComparer.Ordinal);

    public TenantProfile For(string tenantId) => Profiles.TryGetValue(tenantId, out var profile) ? profile : Default;
}
