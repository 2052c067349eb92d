namespace Isoproxy.Bench;

/// <summary>
/// Concurrent SSE streams through a proxy: per-event delay (receive − upstream emit), time to
/// first byte, how many streams completed, and the proxy's peak resident memory meanwhile.
/// </summary>
public static class SseLoad
{
    public static async Task<int> RunAsync(Options options)
    {
        var baseUri = new Uri(options.Text("url"));
        var streams = options.Integer("streams");
        var events = options.Integer("events");
        var intervalMs = options.Integer("interval-ms");
        var rounds = options.Integer("rounds", 1);
        var warmupEvents = options.Integer("warmup-events", 2);
        var prefix = options.Text("prefix");
        var pids = options.ProcessIds("pids");
        var results = new ResultsFile(options.Text("results"), options.Text("proxy"));
        var body = BenchPayloads.RequestJson(new string('x', 10_000));

        using var client = BenchHttp.CreateClient();
        using var sampling = new CancellationTokenSource();
        var peakRss = 0L;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakRss = Math.Max(peakRss, ProcessStats.ResidentBytes(pids));
                try
                {
                    await Task.Delay(100, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        // Unmeasured: opens the client and upstream connections, so the figures are the steady state's.
        await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => OneStreamAsync(client, baseUri, body, warmupEvents, intervalMs)));

        var delays = new List<double>();
        var ttfb = new List<double>();
        var complete = 0;
        var total = 0;
        for (var round = 0; round < rounds; round++)
        {
            var readings = await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => OneStreamAsync(client, baseUri, body, events, intervalMs)));
            foreach (var reading in readings)
            {
                total++;
                delays.AddRange(reading.DelaysMs);
                ttfb.Add(reading.TimeToFirstByteMs);
                if (reading.SawMessageStop && !reading.Failed && reading.Deltas == events)
                {
                    complete++;
                }
            }
        }
        await sampling.CancelAsync();
        await sampler;

        results.Write($"{prefix}_delay_p50_ms", Percentiles.Of(delays, 50));
        results.Write($"{prefix}_delay_p99_ms", Percentiles.Of(delays, 99));
        results.Write($"{prefix}_ttfb_p50_ms", Percentiles.Of(ttfb, 50));
        results.Write($"{prefix}_complete", complete);
        results.Write($"{prefix}_streams", total);
        if (pids.Count > 0)
        {
            results.Write($"{prefix}_peak_rss_mb", peakRss / 1048576.0);
        }
        return complete == total ? 0 : 1;
    }

    private static async Task<SseReading> OneStreamAsync(HttpClient client, Uri baseUri, string body, int events, int intervalMs)
    {
        using var request = BenchHttp.Message(baseUri, body, "stream", events, intervalMs);
        var sent = MonotonicClock.NowNanoseconds();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                return new SseReading { Failed = true };
            }
            await using var stream = await response.Content.ReadAsStreamAsync();
            return await SseReader.ReadAsync(stream, sent, keepText: false, stopAfterDeltas: -1, CancellationToken.None);
        }
        catch (HttpRequestException)
        {
            return new SseReading { Failed = true };
        }
    }
}
