using ServerlessMobility.Platform.Http;
using ServerlessMobility.Platform.Persistence;
using ServerlessMobility.Platform.Security;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Records;

/// <summary>
/// One change to a stored contract by a request: read (as the caller may see it), decide, record in the ledger, replace
/// conditionally on the version read. The contract's lifecycle workflow writes the same document now and then (a payment,
/// a reminder): when it did so in between, the change is decided again on what is stored now instead of failing the
/// request with a 409; a change that no longer applies throws its own problem on the second reading.
/// </summary>
public static class ContractChanges
{
    private const int Attempts = 3;

    /// <param name="change">Decides the change on the contract as stored, and names the ledger event; throws when it does not apply.</param>
    public static async Task<ServiceContract> ApplyAsync(this ContractRecords records, ITenantRepository<ServiceContract> contracts, CurrentUser user, string id,
        Func<ServiceContract, (ServiceContract Changed, string Event)> change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(contracts);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            var found = await ServiceContractsEndpoints.FindAsync(contracts, user, id, cancellationToken).ConfigureAwait(false);
            var (changed, eventName) = change(found.Value);
            var recorded = await records.RecordAsync(changed, eventName, user.Subject, now, cancellationToken).ConfigureAwait(false);
            try
            {
                await contracts.ReplaceAsync(user.TenantId, id, recorded, found.ETag, cancellationToken).ConfigureAwait(false);
                return recorded;
            }
            catch (ConflictException) when (attempt < Attempts)
            {
                // Written meanwhile: decide again on the stored contract.
            }
        }
    }
}
