using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Isoproxy.Bench;

/// <summary>The load driver's HTTP client: plain HTTP/1.1 to the proxy, one connection per concurrent request.</summary>
public static class BenchHttp
{
    public static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        ConnectTimeout = TimeSpan.FromSeconds(10),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>A POST to <c>/v1/messages</c> as the SDKs send it, with the benchmark's scenario headers.</summary>
    public static HttpRequestMessage Message(Uri baseUri, string body, string scenario, int events = 20, int intervalMs = 10)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, "/v1/messages"))
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        AddCommonHeaders(request);
        request.Headers.Add(BenchPayloads.ScenarioHeader, scenario);
        request.Headers.Add(BenchPayloads.EventsHeader, events.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(BenchPayloads.IntervalHeader, intervalMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return request;
    }

    public static void AddCommonHeaders(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Add("x-api-key", "placeholder");
        request.Headers.Add("anthropic-version", "2023-06-01");
    }
}
