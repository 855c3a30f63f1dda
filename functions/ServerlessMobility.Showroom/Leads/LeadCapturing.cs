using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.Platform.Security.Pii;
using ServerlessMobility.Showroom.Leaderboards;

namespace ServerlessMobility.Showroom.Leads;

/// <summary>
/// Captures a contact as a lead of the caller's dealership, or merges it into the lead that already holds its e-mail or
/// phone. The contact claims (<see cref="LeadContactClaim"/>) decide: the first capture to create a claim owns the person,
/// and a concurrent capture of the same person finds the claim taken and merges instead of creating a second lead.
/// </summary>
public sealed class LeadCapturing(ITenantRepository<Lead> leads, ITenantRepository<LeadContactClaim> claims, ITenantRepository<Salesperson> salespeople,
    PiiProtector pii, SalesPoints points, TimeProvider time)
{
    private const int MaxAttempts = 5;

    /// <returns>The lead as stored, and whether it was created (false: merged into the person's existing lead).</returns>
    public async Task<(Versioned<Lead> Lead, bool Created)> CaptureAsync(CurrentUser user, LeadCapture capture, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(capture);
        var tenant = user.TenantId;
        var claimIds = LeadContacts.ClaimIds(pii, capture.Email, capture.Phone);
        for (var attempt = 1; ; attempt++)
        {
            if (attempt > MaxAttempts)
            {
                throw new ConflictException("The same person is being captured by several requests at once; send it again.");
            }

            if (await ExistingLeadIdAsync(tenant, claimIds, cancellationToken) is { } existingId)
            {
                var merged = await MergeAsync(user, existingId, capture, claimIds, cancellationToken);
                if (merged is not null)
                {
                    return (merged, false);
                }

                // The claim points to a lead not stored yet: a capture still under way, or one that failed in between. Complete
                // it now; if the other capture stores it first, the next round merges into it.
                if (await CreateAsync(user, existingId, capture, claimIds, cancellationToken) is { } completed)
                {
                    return (completed, true);
                }

                continue;
            }

            var leadId = "lead-" + Guid.NewGuid().ToString("N")[..16];
            try
            {
                await claims.CreateAsync(tenant, claimIds[0], new LeadContactClaim(claimIds[0], tenant, leadId), cancellationToken);
            }
            catch (ConflictException)
            {
                // Another capture of the same person claimed it first: merge into theirs on the next round.
                continue;
            }

            if (await CreateAsync(user, leadId, capture, claimIds, cancellationToken) is { } created)
            {
                return (created, true);
            }
        }
    }

    /// <summary>A lead in a list: who, where from, where in the funnel, whose, and what happened last; no contact details.</summary>
    public LeadListItem ListItem(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var last = lead.Activities.Count == 0 ? null : lead.Activities.MaxBy(a => a.At);
        return new LeadListItem(lead.Id, pii.Unprotect(lead.ProtectedName, LeadContacts.NamePurpose), lead.Source, lead.Stage, lead.AssignedTo, lead.VehicleOfInterest,
            lead.CreatedAt, lead.UpdatedAt, last);
    }

    public LeadView View(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return new LeadView(lead.Id, lead.Source, pii.Unprotect(lead.ProtectedName, LeadContacts.NamePurpose),
            lead.ProtectedEmail is null ? null : pii.Unprotect(lead.ProtectedEmail, LeadContacts.EmailPurpose),
            lead.ProtectedPhone is null ? null : pii.Unprotect(lead.ProtectedPhone, LeadContacts.PhonePurpose),
            lead.CustomerSubject, lead.AssignedTo, lead.Stage, lead.VehicleOfInterest, lead.Budget, lead.ListedPrice, lead.Currency, lead.FinancePreApproved,
            lead.HasTradeIn, lead.RepeatCustomer, lead.TestDriveTaken, lead.CreatedAt, lead.UpdatedAt, lead.FirstResponseAt, lead.Activities, lead.StageHistory, lead.Sale,
            HandOff: lead.HandOff);
    }

    /// <summary>
    /// The active salesperson with the fewest open leads (ties by id, so the choice is reproducible); null when the roster is
    /// empty. Two captures at the same instant may pick the same person: the balance evens out with the next capture.
    /// </summary>
    public async Task<string?> LeastBusySalespersonAsync(string tenantId, CancellationToken cancellationToken)
    {
        var active = (await salespeople.QueryAsync(tenantId, "active", true, cancellationToken)).Select(s => s.Id).ToList();
        if (active.Count == 0)
        {
            return null;
        }

        var open = (await leads.QueryAsync(tenantId, "open", true, cancellationToken))
            .Where(l => l.AssignedTo is not null)
            .GroupBy(l => l.AssignedTo!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return active.OrderBy(id => open.GetValueOrDefault(id)).ThenBy(id => id, StringComparer.Ordinal).First();
    }

    private async Task<string?> ExistingLeadIdAsync(string tenantId, IReadOnlyList<string> claimIds, CancellationToken cancellationToken)
    {
        foreach (var claimId in claimIds)
        {
            if ((await claims.GetAsync(tenantId, claimId, cancellationToken))?.Value is { } claim)
            {
                return claim.LeadId;
            }
        }

        return null;
    }

    private async Task<Versioned<Lead>?> MergeAsync(CurrentUser user, string leadId, LeadCapture capture, IReadOnlyList<string> claimIds, CancellationToken cancellationToken)
    {
        if (await leads.GetAsync(user.TenantId, leadId, cancellationToken) is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var activityId = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"c-{now.UtcTicks}-{Guid.NewGuid().ToString("N")[..8]}");
        var (stored, _) = await leads.UpdateAsync(user.TenantId, leadId, lead =>
        {
            // A phone or e-mail the lead did not have yet is added, so the person is recognised by it next time too.
            lead.ProtectedEmail ??= capture.Email is null ? null : pii.Protect(capture.Email, LeadContacts.EmailPurpose);
            lead.ProtectedPhone ??= capture.Phone is null ? null : pii.Protect(capture.Phone, LeadContacts.PhonePurpose);
            return (lead.Merge(capture, activityId, now, user.Subject), true);
        }, "Lead", null, cancellationToken);
        await ClaimRemainingAsync(user.TenantId, leadId, claimIds, cancellationToken);
        return stored;
    }

    /// <returns>The stored lead, or null when a concurrent capture stored it first.</returns>
    private async Task<Versioned<Lead>?> CreateAsync(CurrentUser user, string leadId, LeadCapture capture, IReadOnlyList<string> claimIds, CancellationToken cancellationToken)
    {
        await ClaimRemainingAsync(user.TenantId, leadId, claimIds, cancellationToken);
        var now = time.GetUtcNow();
        var lead = new Lead
        {
            Id = leadId,
            TenantId = user.TenantId,
            Source = capture.Source,
            ProtectedName = pii.Protect(capture.Name, LeadContacts.NamePurpose),
            ProtectedEmail = capture.Email is null ? null : pii.Protect(capture.Email, LeadContacts.EmailPurpose),
            ProtectedPhone = capture.Phone is null ? null : pii.Protect(capture.Phone, LeadContacts.PhonePurpose),
            CustomerSubject = capture.CustomerSubject,
            AssignedTo = await LeastBusySalespersonAsync(user.TenantId, cancellationToken),
            Stage = LeadStage.New,
            VehicleOfInterest = capture.VehicleOfInterest,
            Budget = capture.Budget,
            ListedPrice = capture.ListedPrice,
            Currency = capture.Currency,
            FinancePreApproved = capture.FinancePreApproved,
            HasTradeIn = capture.HasTradeIn,
            RepeatCustomer = capture.RepeatCustomer,
            TestDriveTaken = capture.Source == LeadSource.TestDrive,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (capture.Message is not null)
        {
            lead.Activities.Add(new LeadActivity("message", LeadActivityKind.Note, capture.Message, now, user.Subject));
        }

        Versioned<Lead> stored;
        try
        {
            stored = await leads.CreateAsync(user.TenantId, leadId, lead, cancellationToken);
        }
        catch (ConflictException)
        {
            return null;
        }

        // Points go to the staff member who captured it; a customer's own enquiry earns nobody points.
        if (!user.IsInRole(PlatformRoles.Customer) || user.IsInRole(PlatformRoles.DealerStaff) || user.IsInRole(PlatformRoles.DealerAdmin))
        {
            await points.AwardAsync(user.TenantId, user.Subject, PointAction.LeadCaptured, leadId, null, cancellationToken);
            if (capture.Source == LeadSource.TestDrive)
            {
                await points.AwardAsync(user.TenantId, user.Subject, PointAction.TestDriveBooked, leadId, null, cancellationToken);
            }
        }

        return stored;
    }

    private async Task ClaimRemainingAsync(string tenantId, string leadId, IReadOnlyList<string> claimIds, CancellationToken cancellationToken)
    {
        foreach (var claimId in claimIds)
        {
            try
            {
                await claims.CreateAsync(tenantId, claimId, new LeadContactClaim(claimId, tenantId, leadId), cancellationToken);
            }
            catch (ConflictException)
            {
                // Already this lead's, or another lead's (the same phone given by two people): the first holder keeps it.
            }
        }
    }
}
