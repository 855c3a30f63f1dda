namespace ServerlessMobility.Testing;

public static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ServerlessMobility.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ServerlessMobility.sln above {AppContext.BaseDirectory}.");
    });

    public static string Root => LazyRoot.Value;

    public static string NodeModules => Path.Combine(Root, "node_modules");

    public static string InRoot(params string[] parts) => Path.Combine([Root, .. parts]);
}
