using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ServerlessMobility.Platform.Documents;

public static class DocumentServiceCollectionExtensions
{
    /// <summary>PDF rendering, issuing and signed links; the archive (Blob storage) is added by the storage registration.</summary>
    public static IServiceCollection AddDocuments(this IServiceCollection services)
    {
        services.AddOptions<DocumentOptions>().BindConfiguration(DocumentOptions.SectionName)
            .Validate(o => o.LinkSigningKey.Length == 0 || IsKey(o.LinkSigningKey), "Documents:LinkSigningKey must be base64 of at least 32 bytes.")
            .Validate(o => o.LinkLifetime > TimeSpan.Zero && o.LinkLifetime <= TimeSpan.FromHours(1), "Documents:LinkLifetime must be positive and at most an hour.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PdfDocumentRenderer>();
        services.TryAddSingleton<DocumentIssuer>();
        services.TryAddSingleton<DocumentLinks>();
        return services;
    }

    private static bool IsKey(string value)
    {
        var bytes = new byte[value.Length];
        return Convert.TryFromBase64String(value, bytes, out var length) && length >= 32;
    }
}
