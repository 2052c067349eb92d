using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Isoproxy.Tests.Infrastructure;

/// <summary>
/// The real <c>isoproxy</c> executable as a child process, with every byte of its stdout and
/// stderr collected. Only this process is ever stopped, by its own id. By default it is the build
/// output next to the tests, run by the .NET host; with <c>ISOPROXY_BINARY=/path/to/isoproxy</c>
/// it is that executable (the published native binary), so the same tests prove the release build.
/// </summary>
internal sealed partial class IsoproxyProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();

    private IsoproxyProcess(Process process)
    {
        _process = process;
    }

    public string Stdout
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>The process id of the child: isoproxy itself, also when started through a launcher that execs it.</summary>
    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The environment variable naming a published isoproxy executable to test instead of the build output.</summary>
    public const string BinaryVariable = "ISOPROXY_BINARY";

    /// <summary>How to run isoproxy: the program and the arguments before isoproxy's own.</summary>
    public static IReadOnlyList<string> Command
    {
        get
        {
            var binary = Environment.GetEnvironmentVariable(BinaryVariable);
            if (!string.IsNullOrEmpty(binary))
            {
                return File.Exists(binary)
                    ? [Path.GetFullPath(binary)]
                    : throw new InvalidOperationException($"{BinaryVariable}={binary} names no file.");
            }

            return [Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", Path.Combine(AppContext.BaseDirectory, "isoproxy.dll")];
        }
    }

    /// <summary>True when the tests run a published native binary (<c>ISOPROXY_BINARY</c>).</summary>
    public static bool IsPublishedBinary => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(BinaryVariable));

    /// <summary>Starts <c>isoproxy ARGS</c> with exactly <paramref name="environment"/> added.</summary>
    public static IsoproxyProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartWrapped([], environment, args);

    /// <summary>
    /// Starts <c>LAUNCHER... isoproxy ARGS</c>: a launcher such as <c>systemd-socket-activate</c>
    /// that execs isoproxy in its own process, so stopping the child stops isoproxy.
    /// </summary>
    public static IsoproxyProcess StartWrapped(IReadOnlyList<string> launcher, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        IReadOnlyList<string> command = [.. launcher, .. Command, .. args];
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }
        // What a service manager hands the test run itself is not for the proxy under test.
        foreach (var inherited in (string[])["NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES", "CREDENTIALS_DIRECTORY"])
        {
            start.Environment.Remove(inherited);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        var child = new IsoproxyProcess(process);
        process.OutputDataReceived += (_, e) => child.Append(child._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(child._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits (bounded) for the start-up banner and returns the TCP port it names.</summary>
    public async Task<int> WaitForListeningAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            if (Listening().Match(Stderr) is { Success: true } match)
            {
                return int.Parse(match.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
            }
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"isoproxy exited with {_process.ExitCode}: {Stderr}");
            }
            await Task.Delay(25, timeout.Token);
        }
    }

    /// <summary>Waits (bounded) for the process to exit on its own and for its output to be read to the end.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM to this child only, then waits for it to finish (graceful shutdown messages included).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process.HasExited)
        {
            return;
        }
        await SignalTerminateAsync(cancellationToken);
        await WaitForExitAsync(cancellationToken);
    }

    /// <summary>Sends SIGTERM to this child only, by its process id, and returns at once.</summary>
    public Task SignalTerminateAsync(CancellationToken cancellationToken) => SignalAsync("TERM", cancellationToken);

    /// <summary>Sends SIGHUP (reload) to this child only, by its process id, and returns at once.</summary>
    public Task SignalHangUpAsync(CancellationToken cancellationToken) => SignalAsync("HUP", cancellationToken);

    private async Task SignalAsync(string signal, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        start.ArgumentList.Add("-" + signal);
        start.ArgumentList.Add(_process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var kill = Process.Start(start)!;
        await kill.WaitForExitAsync(cancellationToken);
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed with {kill.ExitCode}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }
        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_lock)
        {
            target.Append(line).Append('\n');
        }
    }

    [GeneratedRegex(@"listening on http://127\.0\.0\.1:(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex Listening();
}
