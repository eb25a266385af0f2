using System.Diagnostics;
using System.Runtime.InteropServices;

namespace IntegrationSync.Faults.Tests.Processes;

/// <summary>
/// One real OS process of the fleet (a service, the peers stand-in, the Cosmos test server), started with its own
/// environment and log file, and ended the way a machine ends processes: SIGKILL, or SIGSTOP / SIGCONT.
/// </summary>
public sealed partial class FleetProcess : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigCont = 18;
    private const int SigStop = 19;

    private readonly Process _process;

    private FleetProcess(string name, Process process, string log)
    {
        Name = name;
        _process = process;
        LogPath = log;
    }

    public string Name { get; }

    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static FleetProcess Start(string name, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        string workingDirectory, string logDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        var log = Path.Combine(logDirectory, $"{name}.log");
        var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(writer, e.Data);
        process.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        process.Exited += (_, _) => Write(writer, $"[{name} exited]");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new FleetProcess(name, process, log);
    }

    /// <summary>SIGKILL: no shutdown code runs, as when a pod or node dies.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            Signal(SigKill);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>SIGSTOP: the process is frozen (a GC pause, a throttled container) and misses its heartbeats.</summary>
    public void Freeze() => Signal(SigStop);

    /// <summary>SIGCONT: it runs on from where it stopped, unaware of the time that passed.</summary>
    public void Thaw() => Signal(SigCont);

    /// <summary>The last lines of the process's log, for a failure message.</summary>
    public string Tail(int lines = 30)
    {
        try
        {
            using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return string.Join('\n', reader.ReadToEnd().Split('\n').TakeLast(lines));
        }
        catch (IOException e)
        {
            return $"(log unreadable: {e.Message})";
        }
    }

    public async ValueTask DisposeAsync()
    {
        Thaw();
        await KillAsync();
        _process.Dispose();
    }

    private void Signal(int signal)
    {
        if (!_process.HasExited && Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"Could not send signal {signal} to {Name} ({_process.Id})");
        }
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (writer)
        {
            writer.WriteLine(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
