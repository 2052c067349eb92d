using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Isoproxy.Configuration;
using Isoproxy.Errors;
using Isoproxy.Security;
using Microsoft.Extensions.Primitives;
using Xunit;

namespace Isoproxy.Tests.Security;

/// <summary>The pure client-token decision.</summary>
public sealed class ClientAuthenticatorTests
{
    private static readonly ImmutableArray<ClientConfig> Clients =
    [
        Client("alice", "token-alice-1111"),
        Client("bob", "token-bob-2222", "openrouter"),
    ];

    public static ClientConfig Client(string name, string token, params string[] providers) =>
        new(name, [.. SHA256.HashData(Encoding.UTF8.GetBytes(token))], [.. providers]);

    [Theory]
    // Either header form; the scheme is case-insensitive.
    [InlineData("token-alice-1111", null, "anthropic", null, "alice")]
    [InlineData(null, "Bearer token-alice-1111", "anthropic", null, "alice")]
    [InlineData(null, "bearer token-alice-1111", "anthropic", null, "alice")]
    [InlineData("token-bob-2222", null, "openrouter", null, "bob")]
    // The same token in both headers is one client.
    [InlineData("token-alice-1111", "Bearer token-alice-1111", "anthropic", null, "alice")]
    // A client limited to other providers: 403, and its name is known for the log.
    [InlineData("token-bob-2222", null, "anthropic", Outcome.ProviderNotAllowedForClient, "bob")]
    // Missing, wrong, wrong scheme, near-miss, tokens of two clients: 401.
    [InlineData(null, null, "anthropic", Outcome.ClientUnauthenticated, null)]
    [InlineData("", null, "anthropic", Outcome.ClientUnauthenticated, null)]
    [InlineData("token-alice-1112", null, "anthropic", Outcome.ClientUnauthenticated, null)]
    [InlineData("TOKEN-ALICE-1111", null, "anthropic", Outcome.ClientUnauthenticated, null)]
    [InlineData(null, "Basic token-alice-1111", "anthropic", Outcome.ClientUnauthenticated, null)]
    [InlineData(null, "token-alice-1111", "anthropic", Outcome.ClientUnauthenticated, null)]
    [InlineData("token-alice-1111", "Bearer wrong", "anthropic", Outcome.ClientUnauthenticated, null)]
    [InlineData("token-alice-1111", "Bearer token-bob-2222", "openrouter", Outcome.ClientUnauthenticated, null)]
    public void Decide_PresentedCredentials_ExpectedDecision(string? apiKey, string? authorization, string provider, Outcome? failure, string? clientName)
    {
        var decision = ClientAuthenticator.Decide(Values(apiKey), Values(authorization), provider, Clients);

        Assert.Equal(failure, decision.Failure);
        Assert.Equal(clientName, decision.ClientName);
        Assert.DoesNotContain("token-", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NoClientsConfigured_AnyCredentialAllowedAndNoName()
    {
        var decision = ClientAuthenticator.Decide("whatever", "Bearer x", "anthropic", []);

        Assert.Null(decision.Failure);
        Assert.Null(decision.ClientName);
    }

    [Fact]
    public void Decide_DuplicateApiKeyHeaderOneWrong_Unauthenticated()
    {
        var decision = ClientAuthenticator.Decide(new StringValues(["token-alice-1111", "guess"]), StringValues.Empty, "anthropic", Clients);

        Assert.Equal(Outcome.ClientUnauthenticated, decision.Failure);
    }

    private static StringValues Values(string? value) => value is null ? StringValues.Empty : new StringValues(value);
}
