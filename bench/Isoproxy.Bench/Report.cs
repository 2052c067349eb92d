using System.Globalization;

namespace Isoproxy.Bench;

/// <summary>Turns the results file into the markdown table: each figure, its ratio or difference to nginx, the target.</summary>
public static class Report
{
    private const string Isoproxy = "isoproxy";
    private const string Nginx = "nginx";

    private static readonly Figure[] Figures =
    [
        new("CPU µs/request, c=1", "cpu_us_c1", Comparison.Ratio, "", null),
        new("CPU µs/request, c=16", "cpu_us_c16", Comparison.Ratio, "", null),
        new("CPU µs/request, c=64", "cpu_us_c64", Comparison.Ratio, "≤ 2.0× nginx", (i, n) => i <= 2.0 * n),
        new("requests/s, c=1", "rps_c1", Comparison.Ratio, "", null),
        new("requests/s, c=16", "rps_c16", Comparison.Ratio, "", null),
        new("requests/s, c=64", "rps_c64", Comparison.Ratio, "≥ 0.6× nginx", (i, n) => i >= 0.6 * n),
        new("latency p50 ms, c=1", "latency_p50_ms_c1", Comparison.Difference, "", null),
        new("syscalls/request, c=16", "syscalls_per_request", Comparison.Ratio, "", null),
        new("context switches/request, c=16", "context_switches_per_request", Comparison.Ratio, "", null),
        new("SSE TTFB p50 ms, 20 streams", "sse20_ttfb_p50_ms", Comparison.Difference, "≤ nginx + 1 ms", (i, n) => i <= n + 1),
        new("SSE per-event delay p50 ms, 20 streams", "sse20_delay_p50_ms", Comparison.Difference, "≤ nginx + 0.2 ms", (i, n) => i <= n + 0.2),
        new("SSE per-event delay p99 ms, 20 streams", "sse20_delay_p99_ms", Comparison.Difference, "≤ nginx + 2 ms", (i, n) => i <= n + 2),
        new("500 slow streams: completed", "slow500_complete", Comparison.Ratio, "all", null),
        new("500 slow streams: per-event delay p99 ms", "slow500_delay_p99_ms", Comparison.Difference, "≤ nginx + 20 ms", (i, n) => i <= n + 20),
        new("500 slow streams: peak RSS MB", "slow500_peak_rss_mb", Comparison.Ratio, "≤ 80 MB", (i, _) => i <= 80),
        new("start → first proxied 200 ms", "start_first_200_ms", Comparison.Ratio, "≤ 150 ms", (i, _) => i <= 150),
    ];

    public static int Run(Options options)
    {
        var values = new Dictionary<(string Key, string Proxy), double>();
        foreach (var line in File.ReadLines(options.Text("results")))
        {
            var parts = line.Split('\t');
            if (parts.Length == 3)
            {
                values[(parts[0], parts[1])] = double.Parse(parts[2], CultureInfo.InvariantCulture);
            }
        }

        Console.WriteLine("| figure | isoproxy | nginx | isoproxy vs nginx | target | |");
        Console.WriteLine("| --- | ---: | ---: | ---: | --- | --- |");
        foreach (var figure in Figures)
        {
            if (!values.TryGetValue((figure.Key, Isoproxy), out var mine) || !values.TryGetValue((figure.Key, Nginx), out var theirs))
            {
                continue;
            }
            if (figure.Key == "slow500_complete")
            {
                PrintCompletion(values, mine, theirs);
                continue;
            }
            var comparison = figure.Comparison == Comparison.Ratio
                ? Format($"{mine / theirs:0.00}×")
                : Format($"{mine - theirs:+0.00;-0.00} ms");
            var verdict = figure.Target is null ? "" : figure.Target(mine, theirs) ? "met" : "missed";
            Console.WriteLine($"| {figure.Label} | {Number(mine)} | {Number(theirs)} | {comparison} | {figure.TargetText} | {verdict} |");
        }
        return 0;
    }

    private static void PrintCompletion(Dictionary<(string Key, string Proxy), double> values, double mine, double theirs)
    {
        var total = values.GetValueOrDefault(("slow500_streams", Isoproxy));
        var totalNginx = values.GetValueOrDefault(("slow500_streams", Nginx));
        Console.WriteLine(Format($"| 500 slow streams: completed | {mine}/{total} | {theirs}/{totalNginx} | | all | {(mine == total ? "met" : "missed")} |"));
    }

    private static string Number(double value) =>
        Math.Abs(value) >= 100 ? Format($"{value:0}") : Math.Abs(value) >= 10 ? Format($"{value:0.0}") : Format($"{value:0.00}");

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
