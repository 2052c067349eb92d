using System.Text.Json;
using Xunit;

namespace Isoproxy.Tests.Security;

/// <summary>Asserts a response is one of the proxy's own errors, exactly.</summary>
internal static class ProxyErrorAssert
{
    public static async Task IsAsync(HttpResponseMessage response, int status, string type, string reason, string message, CancellationToken cancellationToken)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(reason, Assert.Single(response.Headers.GetValues("x-isoproxy-error")));
        Assert.Equal("false", Assert.Single(response.Headers.GetValues("x-should-retry")));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(type, json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(message, json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }
}
