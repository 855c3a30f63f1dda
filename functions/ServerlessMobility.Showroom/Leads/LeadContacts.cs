using ServerlessMobility.Platform.Security.Pii;

namespace ServerlessMobility.Showroom.Leads;

/// <summary>
/// How a person is recognised again within a dealership: the same e-mail (trimmed, case-insensitive) or the same E.164
/// phone. The keys are keyed hashes (<see cref="PiiProtector.LookupHash"/>), so neither the store nor its ids hold the contact.
/// </summary>
public static class LeadContacts
{
    public const string EmailPurpose = "showroom-lead-email";
    public const string PhonePurpose = "showroom-lead-phone";
    public const string NamePurpose = "showroom-lead-name";

    public static string? NormalizeEmail(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    public static string? NormalizePhone(string? phone) => string.IsNullOrWhiteSpace(phone) ? null : phone.Trim();

    /// <summary>The claim ids of a capture's contacts, e-mail first (it is the stronger identity).</summary>
    public static IReadOnlyList<string> ClaimIds(PiiProtector pii, string? normalizedEmail, string? normalizedPhone)
    {
        ArgumentNullException.ThrowIfNull(pii);
        var ids = new List<string>(2);
        if (normalizedEmail is not null)
        {
            ids.Add("e-" + pii.LookupHash(normalizedEmail, EmailPurpose));
        }

        if (normalizedPhone is not null)
        {
            ids.Add("p-" + pii.LookupHash(normalizedPhone, PhonePurpose));
        }

        return ids;
    }
}
