using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Isoproxy.Bench;

/// <summary>
/// One soak client: sends a random mix of requests until told to stop, checking every answer
/// against what the upstream must have done with exactly the bytes that were sent.
/// </summary>
public sealed class SoakClient(HttpClient client, Uri baseUri, SoakTally tally, int seed)
{
    private readonly Random _random = new(seed);

    public async Task RunAsync(CancellationToken stop)
    {
        var previous = "nothing";
        while (!stop.IsCancellationRequested)
        {
            var kind = Pick(_random.Next(100));
            try
            {
                await (kind switch
                {
                    "stream" => StreamAsync("stream", hangUpAfter: -1),
                    "cut" => StreamAsync("cut", hangUpAfter: -1),
                    "hang_up" => StreamAsync("stream", hangUpAfter: 3),
                    "json" => JsonAsync(),
                    "overloaded" => OverloadedAsync(),
                    "count_tokens" => CountTokensAsync(),
                    _ => ModelsAsync(),
                });
            }
            catch (HttpRequestException) when (kind == "cut")
            {
                // The proxy aborts the client connection when the upstream cuts a stream; a reset can
                // arrive before the client has read the response headers. Failing is the right answer.
                tally.Right(kind);
            }
            catch (HttpRequestException ex)
            {
                tally.Mistake(kind, $"{ex.Message} ({ex.InnerException?.GetType().Name}: {ex.InnerException?.Message}), after {previous}");
            }
            previous = kind;
        }
    }

    /// <summary>Half streams (complete, cut by the upstream, or abandoned by the client), half short requests.</summary>
    private static string Pick(int roll) => roll switch
    {
        < 35 => "stream",
        < 42 => "cut",
        < 50 => "hang_up",
        < 75 => "json",
        < 82 => "overloaded",
        < 92 => "count_tokens",
        _ => "models",
    };

    private (string Body, string Sha256) RandomBody()
    {
        var text = new StringBuilder();
        var length = _random.Next(1_000, 20_000);
        for (var i = 0; i < length; i++)
        {
            text.Append((char)('a' + _random.Next(26)));
        }
        var body = BenchPayloads.RequestJson(text.ToString());
        return (body, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))));
    }

    private async Task JsonAsync()
    {
        var (body, sha) = RandomBody();
        using var request = BenchHttp.Message(baseUri, body, "json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != 200)
        {
            tally.Mistake("json", $"status {(int)response.StatusCode}");
        }
        else if (!text.StartsWith("{\"id\":\"msg_" + sha + "\"", StringComparison.Ordinal) || !text.EndsWith('}'))
        {
            tally.Mistake("json", "reply does not carry the hash of the body sent, or is cut");
        }
        else
        {
            tally.Right("json");
        }
    }

    private async Task StreamAsync(string scenario, int hangUpAfter)
    {
        var kind = hangUpAfter >= 0 ? "hang_up" : scenario;
        var (body, sha) = RandomBody();
        using var request = BenchHttp.Message(baseUri, body, scenario, events: 20, intervalMs: 5);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (scenario == "cut" && (int)response.StatusCode == 502 && response.Headers.Contains("x-isoproxy-error"))
        {
            // The reset reached the proxy before it had relayed a byte: the proxy's own 502 is right.
            tally.Right(kind);
            return;
        }
        if ((int)response.StatusCode != 200)
        {
            tally.Mistake(kind, $"status {(int)response.StatusCode}");
            return;
        }
        await using var stream = await response.Content.ReadAsStreamAsync();
        var reading = await SseReader.ReadAsync(stream, MonotonicClock.NowNanoseconds(), keepText: true, hangUpAfter, CancellationToken.None);
        var startsRight = reading.Text?.Contains("\"id\":\"msg_" + sha + "\"", StringComparison.Ordinal) == true;
        if (!startsRight && !(scenario == "cut" && reading.Failed && string.IsNullOrEmpty(reading.Text)))
        {
            tally.Mistake(kind, "message_start does not carry the hash of the body sent");
        }
        else if (hangUpAfter >= 0)
        {
            tally.Right(kind);
        }
        else if (scenario == "cut")
        {
            // A stream the upstream cut must fail, or end with the proxy's error event: never look complete.
            if (reading.SawMessageStop || (!reading.Failed && !reading.SawErrorEvent))
            {
                tally.Mistake(kind, "a cut stream looked complete");
            }
            else
            {
                tally.Right(kind);
            }
        }
        else if (reading.Failed || !reading.SawMessageStop || reading.Deltas != 20)
        {
            tally.Mistake(kind, $"stream incomplete: failed={reading.Failed} message_stop={reading.SawMessageStop} deltas={reading.Deltas}");
        }
        else
        {
            tally.Right(kind);
        }
    }

    private async Task OverloadedAsync()
    {
        var (body, _) = RandomBody();
        using var request = BenchHttp.Message(baseUri, body, "overloaded");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsByteArrayAsync();
        if ((int)response.StatusCode != 529 || !text.AsSpan().SequenceEqual(BenchPayloads.Overloaded)
            || response.Headers.TryGetValues("x-should-retry", out var retry) is false || retry.Single() != "true")
        {
            tally.Mistake("overloaded", $"status {(int)response.StatusCode}, body or x-should-retry changed");
        }
        else
        {
            tally.Right("overloaded");
        }
    }

    private async Task CountTokensAsync()
    {
        var (body, _) = RandomBody();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "/v1/messages/count_tokens"))
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        BenchHttp.AddCommonHeaders(request);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var expected = Encoding.UTF8.GetString(BenchPayloads.CountTokens(Encoding.UTF8.GetByteCount(body)));
        if ((int)response.StatusCode != 200 || text != expected)
        {
            tally.Mistake("count_tokens", $"status {(int)response.StatusCode}, body {text}");
        }
        else
        {
            tally.Right("count_tokens");
        }
    }

    private async Task ModelsAsync()
    {
        var one = _random.Next(2) == 0;
        var path = one ? "/v1/models/claude-bench-" + _random.Next(1000) : "/v1/models";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, path));
        BenchHttp.AddCommonHeaders(request);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsByteArrayAsync();
        var expected = one ? BenchPayloads.Model(path["/v1/models/".Length..]) : BenchPayloads.Models;
        if ((int)response.StatusCode != 200 || !text.AsSpan().SequenceEqual(expected))
        {
            tally.Mistake("models", $"status {(int)response.StatusCode}");
        }
        else
        {
            tally.Right("models");
        }
    }
}
