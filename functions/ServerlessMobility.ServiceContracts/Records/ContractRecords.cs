using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ServerlessMobility.Platform.Security.Audit;
using ServerlessMobility.ServiceContracts.Sales;

namespace ServerlessMobility.ServiceContracts.Records;

/// <summary>
/// Where a change of a contract sits in the tenant's hash-chained audit ledger: the customer's receipt. With it
/// anyone holding the ledger can show that the record at <see cref="Sequence"/> has hash <see cref="Hash"/> and
/// states the contract content hash <see cref="ContentHash"/>.
/// </summary>
public sealed record ContractReceipt(string Event, long Sequence, string Hash, string ContentHash, DateTimeOffset RecordedAt);

/// <summary>The answer of a verification: whether the stored contract is the one the ledger recorded, and why not.</summary>
public sealed record ContractVerification(bool IsValid, string? Reason, ContractReceipt? Receipt, bool LedgerChainValid);

/// <summary>
/// Puts every change of a contract into the tenant's audit ledger with the SHA-256 of the contract's content after the
/// change, and checks a stored contract against it. An edit of the stored row (a price, a claim, a date) no longer
/// hashes to what the ledger holds, and the ledger's own chain shows an edit of the ledger.
/// </summary>
public sealed class ContractRecords(IAuditLedger ledger, AuditAnchoring anchoring)
{
    /// <summary>The content a receipt vouches for: everything except the receipts themselves.</summary>
    public static string ContentHash(ServiceContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var content = JsonSerializer.Serialize(contract with { Receipts = [] }, ContractJson.Options);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    /// <summary>
    /// Appends the change to the ledger and returns the contract with its receipt. The ledger is written before the
    /// contract is stored: if storing then fails, the ledger holds a change that did not happen (verification of the
    /// stored contract still passes against its own last receipt), never a stored change without its record.
    /// </summary>
    public async Task<ServiceContract> RecordAsync(ServiceContract contract, string eventName, string actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var before = contract.Receipts.Count > 0 ? contract.Receipts[^1].ContentHash : string.Empty;
        var after = ContentHash(contract);
        var record = await ledger.AppendAsync(
            new AuditEntry(contract.TenantId, actor, $"service-contract.{eventName}", $"/api/service-contracts/{contract.Id}", before, after), cancellationToken);
        return contract with { Receipts = [.. contract.Receipts, new ContractReceipt(eventName, record.Sequence, record.Hash, after, now)] };
    }

    public async Task<ContractVerification> VerifyAsync(ServiceContract contract, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var chain = await anchoring.VerifyChainAsync(contract.TenantId, cancellationToken);
        if (contract.Receipts.Count == 0)
        {
            return new ContractVerification(false, "The contract has no ledger receipt.", null, chain.IsValid);
        }

        var receipt = contract.Receipts[^1];
        var check = await CheckReceiptAsync(contract, receipt, cancellationToken);
        if (check is not null)
        {
            return new ContractVerification(false, check, receipt, chain.IsValid);
        }

        var content = ContentHash(contract);
        if (!string.Equals(content, receipt.ContentHash, StringComparison.Ordinal))
        {
            return new ContractVerification(false, $"The stored contract was altered: its content hashes to {content}, the ledger recorded {receipt.ContentHash} at position {receipt.Sequence}.", receipt, chain.IsValid);
        }

        return chain.IsValid
            ? new ContractVerification(true, null, receipt, true)
            : new ContractVerification(false, $"The audit ledger's chain is broken: {chain.Reason}", receipt, false);
    }

    /// <summary>
    /// Checks a receipt the customer kept (position and hash) against the ledger alone, not against the stored
    /// contract: the ledger record at that position must have that hash, belong to this contract, and the tenant's
    /// chain must be intact, so the receipt proves the change even if the stored contract was edited later.
    /// </summary>
    public async Task<ContractVerification> VerifyReceiptAsync(string tenantId, string contractId, long sequence, string hash, CancellationToken cancellationToken)
    {
        var chain = await anchoring.VerifyChainAsync(tenantId, cancellationToken);
        var records = await ledger.ReadAsync(tenantId, sequence - 1, 1, cancellationToken);
        if (records.Count == 0 || records[0].Sequence != sequence)
        {
            return new ContractVerification(false, $"The ledger holds no record at position {sequence}.", null, chain.IsValid);
        }

        var record = records[0];
        var receipt = new ContractReceipt(record.Action.Replace("service-contract.", string.Empty, StringComparison.Ordinal), record.Sequence, record.Hash, record.AfterHash, record.OccurredAt);
        if (!string.Equals(record.Resource, $"/api/service-contracts/{contractId}", StringComparison.Ordinal))
        {
            return new ContractVerification(false, $"The ledger record at position {sequence} is not this contract's.", null, chain.IsValid);
        }

        if (!string.Equals(record.Hash, hash, StringComparison.Ordinal))
        {
            return new ContractVerification(false, $"The ledger record at position {sequence} has another hash than the receipt.", receipt, chain.IsValid);
        }

        return chain.IsValid
            ? new ContractVerification(true, null, receipt, true)
            : new ContractVerification(false, $"The audit ledger's chain is broken: {chain.Reason}", receipt, false);
    }

    /// <summary>Checks a receipt a customer holds against the ledger: the record at its position has its hash and names this contract.</summary>
    public async Task<string?> CheckReceiptAsync(ServiceContract contract, ContractReceipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(receipt);
        var records = await ledger.ReadAsync(contract.TenantId, receipt.Sequence - 1, 1, cancellationToken);
        if (records.Count == 0 || records[0].Sequence != receipt.Sequence)
        {
            return $"The ledger holds no record at position {receipt.Sequence}.";
        }

        var record = records[0];
        if (!string.Equals(record.Hash, receipt.Hash, StringComparison.Ordinal))
        {
            return $"The ledger record at position {receipt.Sequence} has another hash than the receipt.";
        }

        if (!string.Equals(record.Resource, $"/api/service-contracts/{contract.Id}", StringComparison.Ordinal)
            || !string.Equals(record.AfterHash, receipt.ContentHash, StringComparison.Ordinal))
        {
            return $"The ledger record at position {receipt.Sequence} is not this contract's.";
        }

        return null;
    }
}

/// <summary>Every version of a contract product goes into the ledger with the hash of the product after it, as contracts do.</summary>
public sealed class ContractProductRecords(IAuditLedger ledger)
{
    public async Task<AuditRecord> RecordAsync(Products.ContractProduct product, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(product);
        var content = JsonSerializer.Serialize(product, ContractJson.Options);
        return await ledger.AppendAsync(new AuditEntry(product.TenantId, actor, $"service-contract-product.version-{product.Latest.Version}",
            $"/api/service-contract-products/{product.Id}", string.Empty, AuditChain.HashContent(content)), cancellationToken);
    }
}
