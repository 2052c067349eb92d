using System.Diagnostics;
using System.Globalization;

namespace Isoproxy.Bench;

/// <summary>
/// Start → first proxied 200: starts the command after <c>--</c>, sends a request every
/// millisecond until one is answered 200, stops the process, and repeats; writes the median.
/// The time includes the first upstream connection and its TLS handshake.
/// </summary>
public static class StartupProbe
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(Options options)
    {
        var baseUri = new Uri(options.Text("url"));
        var runs = options.Integer("runs", 5);
        var results = new ResultsFile(options.Text("results"), options.Text("proxy"));
        if (options.Rest.Count == 0)
        {
            throw new ArgumentException("the command to start follows --");
        }
        var body = BenchPayloads.RequestJson(new string('x', 10_000));

        var times = new List<double>();
        // Run 0 is unmeasured: it loads the binaries into the page cache and compiles the probe itself.
        for (var run = 0; run <= runs; run++)
        {
            var elapsed = await OneStartAsync(options.Rest, baseUri, body);
            if (elapsed is null)
            {
                Console.Error.WriteLine($"  {string.Join(' ', options.Rest)}: no 200 within {GiveUpAfter.TotalSeconds} s");
                return 1;
            }
            if (run > 0)
            {
                times.Add(elapsed.Value);
            }
        }
        results.Write("start_first_200_ms", Percentiles.Of(times, 50));
        return 0;
    }

    private static async Task<double?> OneStartAsync(IReadOnlyList<string> command, Uri baseUri, string body)
    {
        var start = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        using var client = BenchHttp.CreateClient();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command[0]}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (clock.Elapsed < GiveUpAfter && !process.HasExited)
            {
                try
                {
                    using var request = BenchHttp.Message(baseUri, body, "json");
                    using var response = await client.SendAsync(request);
                    if ((int)response.StatusCode == 200)
                    {
                        return clock.Elapsed.TotalMilliseconds;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                await Task.Delay(1);
            }
            return null;
        }
        finally
        {
            await StopAsync(process);
        }
    }

    /// <summary>SIGTERM (graceful for both proxies), then SIGKILL if it lingers.</summary>
    private static async Task StopAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
