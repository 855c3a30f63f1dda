namespace ServerlessMobility.Infrastructure.Tests.Bicep;

/// <summary>The repository root: the first directory above the test binaries holding ServerlessMobility.sln.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "ServerlessMobility.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ServerlessMobility.sln above {AppContext.BaseDirectory}.");
    });

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}
