using Isoproxy.Configuration;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Security;

/// <summary>Client tokens end to end: who is let through, what the upstream and the log see.</summary>
public sealed class ClientTokenTests
{
    private const string AliceToken = "client-token-alice-5b1e";
    private const string BobToken = "client-token-bob-91c3";

    private static Task<ProxyTestEnvironment> StartAsync() =>
        ProxyTestEnvironment.StartAsync(
            config => ProxyTestEnvironment.WithSecondProvider(config, "second", UpstreamAuth.XApiKey, "second-provider-key") with
            {
                DefaultProvider = "anthropic",
                Clients = [ClientAuthenticatorTests.Client("alice", AliceToken), ClientAuthenticatorTests.Client("bob", BobToken, "second")],
            },
            cancellationToken: TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("x-api-key", AliceToken)]
    [InlineData("authorization", "Bearer " + AliceToken)]
    public async Task ValidToken_EitherHeader_ForwardedWithProviderKeyOnlyAndNameLogged(string header, string value)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation(header, value);
        using var response = await env.Client.SendAsync(request, ct);

        Assert.Equal(200, (int)response.StatusCode);
        var upstream = Assert.Single(env.Upstream.Requests);
        Assert.Equal(ProxyTestEnvironment.UpstreamKey, upstream.GetHeader("x-api-key"));
        Assert.False(upstream.HasHeader("authorization"));
        Assert.DoesNotContain(upstream.Headers, h => h.Value.Contains(AliceToken, StringComparison.Ordinal));
        var line = Assert.Single(await LogLines.WaitAsync(() => env.RequestLog, 1, ct));
        Assert.Equal("alice", line.GetProperty("client").GetString());
        Assert.Equal("ok", line.GetProperty("outcome").GetString());
        Assert.DoesNotContain(AliceToken, env.RequestLog + env.Diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "isoproxy: this proxy requires a client token (x-api-key or Authorization: Bearer)")]
    [InlineData("x-api-key: not-a-token", "isoproxy: the client token is not valid")]
    [InlineData("authorization: Bearer " + AliceToken + "x", "isoproxy: the client token is not valid")]
    [InlineData("authorization: Basic " + AliceToken, "isoproxy: the client token is not valid")]
    public async Task MissingOrWrongToken_Refused401AndNothingForwarded(string? header, string message)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent("{}") };
        if (header is not null)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            request.Headers.TryAddWithoutValidation(header[..colon], header[(colon + 2)..]);
        }
        using var response = await env.Client.SendAsync(request, ct);

        await ProxyErrorAssert.IsAsync(response, 401, "authentication_error", "client_unauthenticated", message, ct);
        Assert.Empty(env.Upstream.Requests);
        var line = Assert.Single(await LogLines.WaitAsync(() => env.RequestLog, 1, ct));
        Assert.Equal("client_unauthenticated", line.GetProperty("outcome").GetString());
        Assert.Equal(401, line.GetProperty("status").GetInt32());
        Assert.False(line.TryGetProperty("client", out _));
    }

    [Fact]
    public async Task ClientLimitedToOtherProvider_Refused403WithNameLogged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/anthropic/v1/messages") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("x-api-key", BobToken);
        using var response = await env.Client.SendAsync(request, ct);

        await ProxyErrorAssert.IsAsync(response, 403, "permission_error", "provider_not_allowed", "isoproxy: client bob may not use provider anthropic", ct);
        Assert.Empty(env.Upstream.Requests);
        var line = Assert.Single(await LogLines.WaitAsync(() => env.RequestLog, 1, ct));
        Assert.Equal("bob", line.GetProperty("client").GetString());
        Assert.Equal("provider_not_allowed", line.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task ClientOnAllowedProvider_ForwardedWithThatProvidersKey()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/second/v1/messages") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("authorization", "Bearer " + BobToken);
        using var response = await env.Client.SendAsync(request, ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("second-provider-key", Assert.Single(env.Upstream.Requests).GetHeader("x-api-key"));
    }

    [Fact]
    public async Task NoClientsConfigured_PresentedCredentialDiscarded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("x-api-key", "anything-the-client-has");
        request.Headers.TryAddWithoutValidation("authorization", "Bearer anything-else");
        using var response = await env.Client.SendAsync(request, ct);

        Assert.Equal(200, (int)response.StatusCode);
        var upstream = Assert.Single(env.Upstream.Requests);
        Assert.Equal(ProxyTestEnvironment.UpstreamKey, upstream.GetHeader("x-api-key"));
        Assert.False(upstream.HasHeader("authorization"));
    }

    [Fact]
    public async Task Health_NoToken_AnsweredLocally()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync();

        using var response = await env.Client.GetAsync("/health", ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Empty(env.Upstream.Requests);
    }
}
