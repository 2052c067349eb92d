using System.Collections.Immutable;

namespace Isoproxy.Configuration;

/// <summary>A client allowed to use the proxy when <c>clients:</c> is configured.</summary>
/// <param name="Name">Logged instead of the token.</param>
/// <param name="TokenSha256">SHA-256 of the client's token (32 bytes).</param>
/// <param name="Providers">Providers this client may use; empty means all.</param>
public sealed record ClientConfig(string Name, ImmutableArray<byte> TokenSha256, ImmutableArray<string> Providers);
