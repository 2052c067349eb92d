using System.Diagnostics;
using System.Globalization;

namespace Isoproxy.Bench;

/// <summary>
/// Mixed traffic from many clients for minutes, every answer checked, the proxy's memory,
/// descriptors and threads sampled every 10 s; then the load stops and the descriptors must
/// return to their idle count once the upstream pool's idle timeout has passed.
/// </summary>
public static class Soak
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan GrowthBaselineAt = TimeSpan.FromMinutes(2);
    private const double RssTargetMb = 60;
    private const double GrowthTargetPercent = 10;

    public static async Task<int> RunAsync(Options options)
    {
        var baseUri = new Uri(options.Text("url"));
        var clients = options.Integer("clients", 60);
        var duration = TimeSpan.FromMinutes(options.Number("minutes"));
        var pid = options.Integer("pid");
        var idleWait = TimeSpan.FromSeconds(options.Number("idle-wait-s", 100));

        var idleDescriptors = ProcessStats.OpenDescriptors(pid);
        Console.WriteLine($"soak: {clients} clients for {duration.TotalMinutes:0.##} min; proxy pid {pid}: idle {idleDescriptors} descriptors, RSS {Mb(ProcessStats.ResidentBytes([pid]))} MB");
        Console.WriteLine("| time | requests | wrong | RSS MB | descriptors | threads |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");

        var tally = new SoakTally();
        using var client = BenchHttp.CreateClient();
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        var load = Task.WhenAll(Enumerable.Range(0, clients).Select(i => new SoakClient(client, baseUri, tally, seed: i).RunAsync(stop.Token)));

        var samples = new List<(TimeSpan At, double RssMb)>();
        while (!load.IsCompleted)
        {
            await Task.WhenAny(load, Task.Delay(SampleEvery));
            if (load.IsCompleted)
            {
                break;
            }
            var rss = Mb(ProcessStats.ResidentBytes([pid]));
            samples.Add((clock.Elapsed, rss));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {clock.Elapsed.TotalSeconds:0} s | {tally.Requests} | {tally.Wrong} | {rss:0.0} | {ProcessStats.OpenDescriptors(pid)} | {ProcessStats.Threads(pid)} |"));
        }
        await load;
        var loadTime = clock.Elapsed;
        client.Dispose();

        var after = Stopwatch.StartNew();
        var descriptorsAfter = ProcessStats.OpenDescriptors(pid);
        while (descriptorsAfter > idleDescriptors && after.Elapsed < idleWait)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            descriptorsAfter = ProcessStats.OpenDescriptors(pid);
        }

        PrintSummary(tally, loadTime, samples, idleDescriptors, descriptorsAfter, after.Elapsed);
        return tally.Wrong == 0 ? 0 : 1;
    }

    private static void PrintSummary(SoakTally tally, TimeSpan loadTime, List<(TimeSpan At, double RssMb)> samples, int idleDescriptors, int descriptorsAfter, TimeSpan waited)
    {
        var peak = samples.Count == 0 ? double.NaN : samples.Max(s => s.RssMb);
        // Growth is judged after the warm-up; a run shorter than that uses its second half.
        var baselineAt = loadTime > GrowthBaselineAt + SampleEvery ? GrowthBaselineAt : loadTime / 2;
        var later = samples.Where(s => s.At >= baselineAt).ToList();
        var growth = later.Count < 2 ? double.NaN : (later.Max(s => s.RssMb) - later[0].RssMb) / later[0].RssMb * 100;

        Console.WriteLine();
        var kinds = string.Join(", ", tally.ByKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"requests: {tally.Requests} in {loadTime.TotalSeconds:0} s ({tally.Requests / loadTime.TotalSeconds:0}/s): {kinds}"));
        foreach (var problem in tally.Problems)
        {
            Console.WriteLine($"  wrong: {problem}");
        }
        Console.WriteLine();
        Console.WriteLine("| figure | measured | target | |");
        Console.WriteLine("| --- | ---: | --- | --- |");
        Row("wrong responses", $"{tally.Wrong}", "0", tally.Wrong == 0);
        Row("peak RSS under load", string.Create(CultureInfo.InvariantCulture, $"{peak:0.0} MB"), $"≤ {RssTargetMb} MB", peak <= RssTargetMb);
        Row($"RSS growth after {baselineAt.TotalSeconds:0} s", string.Create(CultureInfo.InvariantCulture, $"{growth:0.0} %"), $"≤ {GrowthTargetPercent} %", growth <= GrowthTargetPercent);
        Row("descriptors after load (idle before)", $"{descriptorsAfter} ({idleDescriptors}), after {waited.TotalSeconds:0} s", "back to idle", descriptorsAfter <= idleDescriptors);
    }

    private static void Row(string figure, string measured, string target, bool met) =>
        Console.WriteLine($"| {figure} | {measured} | {target} | {(met ? "met" : "missed")} |");

    private static double Mb(long bytes) => bytes / 1048576.0;
}
