using System.Text.Json;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Faults;

/// <summary>Checks of the answers the proxy makes itself, in the exact shape clients rely on.</summary>
public static class FaultAssert
{
    /// <summary>
    /// An error the proxy made before any response started: status, Anthropic envelope, reason
    /// header, retry headers; the message holds no credential and no stack trace.
    /// </summary>
    public static async Task<string> ProxyErrorAsync(HttpResponseMessage response, int status, string type, string reason, bool retryCannotHelp)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(reason, Assert.Single(response.Headers.GetValues("x-isoproxy-error")));
        if (retryCannotHelp)
        {
            Assert.Equal("false", Assert.Single(response.Headers.GetValues("x-should-retry")));
        }
        else
        {
            Assert.False(response.Headers.Contains("x-should-retry"));
        }
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);

        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return Envelope(body, type);
    }

    /// <summary>The message of an Anthropic error envelope of the given type.</summary>
    public static string Envelope(string json, string type)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal("error", root.GetProperty("type").GetString());
        var error = root.GetProperty("error");
        Assert.Equal(type, error.GetProperty("type").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.StartsWith("isoproxy: ", message, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyTestEnvironment.UpstreamKey, message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
        return message;
    }

    /// <summary>
    /// A stream that ended in the proxy's SSE error event: only whole events, the error event
    /// last and only once, then a clean end. Returns the events before it.
    /// </summary>
    public static IReadOnlyList<SseEvent> EndsWithSseError(byte[] body, string messageFragment)
    {
        var events = SseParser.ParseComplete(body);
        Assert.NotEmpty(events);
        var last = events[^1];
        Assert.Equal("error", last.Name);
        var message = Envelope(last.Data, "api_error");
        Assert.Contains(messageFragment, message, StringComparison.Ordinal);
        var before = events.Take(events.Count - 1).ToList();
        Assert.DoesNotContain(before, e => e.Name == "error");
        return before;
    }
}
