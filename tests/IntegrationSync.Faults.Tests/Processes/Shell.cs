using System.Diagnostics;

namespace IntegrationSync.Faults.Tests.Processes;

/// <summary>Runs the repository's own scripts (scripts/lib) the way test.sh and dev-up.sh do.</summary>
public static class Shell
{
    public static async Task RunAsync(string script, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"set -euo pipefail; source scripts/lib/rabbitmq.sh; {script}");
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{script}` failed ({process.ExitCode}): {await output}{await error}");
        }
    }

    /// <summary>A TCP port free on 127.0.0.1 right now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Where the repository and the fleet's build output are.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration the tests themselves were built in (the fleet's outputs sit beside them).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string Assembly(string projectDirectory, string assembly) =>
        Path.Combine(Root, projectDirectory, "bin", Configuration, "net10.0", $"{assembly}.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IntegrationSync.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("IntegrationSync.sln not found above the test assembly");
    }
}
