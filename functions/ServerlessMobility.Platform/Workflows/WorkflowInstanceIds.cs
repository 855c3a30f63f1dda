namespace ServerlessMobility.Platform.Workflows;

/// <summary>
/// Instance ids are made by the server from the owning tenant, the flow and the entity, never taken from
/// a caller: <c>{tenantId}:{flow}:{entityId}</c>. No caller can therefore reach another tenant's or
/// another flow's instance by choosing an id, and the tenant that owns an instance is the id's prefix,
/// which is how the status API decides visibility and lists a tenant's instances. Tenant ids cannot
/// contain the separator (<see cref="Security.TenantIds"/>), so the prefix is unambiguous.
/// </summary>
public static class WorkflowInstanceIds
{
    public const char Separator = ':';

    public static string For(string tenantId, string flow, string entityId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        ArgumentException.ThrowIfNullOrEmpty(flow);
        ArgumentException.ThrowIfNullOrEmpty(entityId);
        if (!Security.TenantIds.IsValid(tenantId))
        {
            throw new ArgumentException($"'{tenantId}' is not a valid tenant id.", nameof(tenantId));
        }

        return $"{tenantId}{Separator}{flow}{Separator}{entityId}";
    }

    /// <summary>The prefix every instance of <paramref name="tenantId"/> starts with.</summary>
    public static string TenantPrefix(string tenantId) => tenantId + Separator;

    /// <summary>True when the instance belongs to <paramref name="tenantId"/>.</summary>
    public static bool BelongsTo(string instanceId, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        return Security.TenantIds.IsValid(tenantId) && instanceId.StartsWith(TenantPrefix(tenantId), StringComparison.Ordinal);
    }

    /// <summary>Reads an id made by <see cref="For"/> back into its parts; false for any other id.</summary>
    public static bool TryParse(string instanceId, out string tenantId, out string flow, out string entityId)
    {
        ArgumentNullException.ThrowIfNull(instanceId);
        var parts = instanceId.Split(Separator, 3);
        (tenantId, flow, entityId) = parts.Length == 3 ? (parts[0], parts[1], parts[2]) : (string.Empty, string.Empty, string.Empty);
        return parts.Length == 3 && Security.TenantIds.IsValid(tenantId) && flow.Length > 0 && entityId.Length > 0;
    }
}
