using System.Reflection;

namespace IntegrationSync.Deploy.Tests;

/// <summary>Paths in the checkout these tests were built from.</summary>
public static class Repo
{
    public static readonly string Root = typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepoRoot").Value!;

    public static readonly string Chart = Path.Combine(Root, "deploy", "helm", "integration-sync");

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => System.IO.File.ReadAllText(File(parts));

    /// <summary>The deployables: each folder under services/ with a project file.</summary>
    public static IReadOnlyList<string> ServiceFolders() =>
        Directory.GetDirectories(File("services"))
            .Where(dir => Directory.GetFiles(dir, "*.csproj").Length > 0)
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToList()!;
}
