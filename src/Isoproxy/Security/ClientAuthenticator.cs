using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Isoproxy.Configuration;
using Isoproxy.Errors;
using Microsoft.Extensions.Primitives;

namespace Isoproxy.Security;

/// <summary>
/// Decides whether a request's client token (when <c>clients:</c> is configured) names a client
/// that may use the routed provider. Pure: headers and configuration in, a decision out.
/// </summary>
/// <remarks>
/// The token is hashed with SHA-256 and compared against every configured hash in constant
/// time, without stopping at a match, so neither timing nor the hash prefix reveals how close
/// a guess was. Client tokens and provider keys are separate: a client token never leaves the
/// proxy, and nothing a client sends chooses a provider key.
/// </remarks>
public static class ClientAuthenticator
{
    private const string BearerScheme = "Bearer ";

    public static ClientDecision Decide(StringValues apiKeyHeader, StringValues authorizationHeader, string provider, ImmutableArray<ClientConfig> clients)
    {
        if (clients.IsEmpty)
        {
            // No client tokens configured: any presented credential is simply discarded later.
            return new ClientDecision(null, "no client tokens configured", null);
        }

        var candidates = PresentedTokens(apiKeyHeader, authorizationHeader);
        if (candidates.Count == 0)
        {
            return Unauthenticated("this proxy requires a client token (x-api-key or Authorization: Bearer)");
        }

        ClientConfig? matched = null;
        foreach (var token in candidates)
        {
            var client = token is null ? null : Match(token, clients);
            if (client is null)
            {
                // Every presented token must be valid: a wrong one next to a right one is still a wrong credential.
                return Unauthenticated("the client token is not valid");
            }
            if (matched is not null && !ReferenceEquals(matched, client))
            {
                return Unauthenticated("the request presents tokens of two different clients");
            }
            matched = client;
        }

        var name = matched!.Name;
        if (!matched.Providers.IsEmpty && !matched.Providers.Contains(provider, StringComparer.Ordinal))
        {
            return new ClientDecision(Outcome.ProviderNotAllowedForClient, $"client {name} may not use provider {provider}", name);
        }
        return new ClientDecision(null, "client token valid", name);
    }

    /// <summary>Every token the request presents, as <c>x-api-key</c> or <c>Authorization: Bearer</c>.</summary>
    private static List<string?> PresentedTokens(StringValues apiKeyHeader, StringValues authorizationHeader)
    {
        var tokens = new List<string?>();
        foreach (var value in apiKeyHeader)
        {
            tokens.Add(value ?? "");
        }
        foreach (var value in authorizationHeader)
        {
            // Another scheme (or none) is not a client token: it counts as a wrong one.
            tokens.Add(value is not null && value.StartsWith(BearerScheme, StringComparison.OrdinalIgnoreCase)
                ? value[BearerScheme.Length..].Trim(' ')
                : null);
        }
        return tokens;
    }

    /// <summary>The client whose hash equals the token's; every hash is compared, always.</summary>
    private static ClientConfig? Match(string token, ImmutableArray<ClientConfig> clients)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(token), hash);
        ClientConfig? matched = null;
        foreach (var client in clients)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, client.TokenSha256.AsSpan()))
            {
                matched = client;
            }
        }
        return matched;
    }

    private static ClientDecision Unauthenticated(string reason) => new(Outcome.ClientUnauthenticated, reason, null);
}
