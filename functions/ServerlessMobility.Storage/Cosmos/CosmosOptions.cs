using System.ComponentModel.DataAnnotations;

namespace ServerlessMobility.Storage.Cosmos;

public sealed class CosmosOptions
{
    public const string SectionName = "CosmosDb";

    /// <summary>The account endpoint, for example https://127.0.0.1:8081/ locally.</summary>
    [Required]
    public Uri? Endpoint { get; set; }

    /// <summary>The account key (the local server accepts any); empty in Azure, where the managed identity is used.</summary>
    public string? Key { get; set; }

    [Required]
    [RegularExpression("^[A-Za-z0-9-_]{1,255}$")]
    public string DatabaseName { get; set; } = "serverless-mobility";

    /// <summary>
    /// Accept the local Cosmos server's self-signed certificate. Only ever true in local and test
    /// configuration; the Azure deployment leaves it false.
    /// </summary>
    public bool AcceptSelfSignedCertificate { get; set; }
}
