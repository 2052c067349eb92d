using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Isoproxy.Configuration;

/// <summary>The kinds of value of a <c>clients:</c> entry's keys.</summary>
internal static partial class ClientKinds
{
    /// <summary>The name is written to logs in place of the token, so it stays log-safe.</summary>
    public static FieldKind<string> Name { get; } = FieldKinds.Text(
        "string",
        text => NamePattern().IsMatch(text)
            ? Parsed<string>.Valid(text)
            : Parsed<string>.Invalid("must contain only letters, digits, '.', '_' and '-'"),
        YamlText.Scalar);

    /// <summary>Printed as its first 8 hex digits only: enough to tell clients apart.</summary>
    public static FieldKind<ImmutableArray<byte>> TokenSha256 { get; } = FieldKinds.Text(
        "64 hex digits",
        text => text.Length == 64 && text.All(char.IsAsciiHexDigit)
            ? Parsed<ImmutableArray<byte>>.Valid([.. Convert.FromHexString(text)])
            : Parsed<ImmutableArray<byte>>.Invalid("must be 64 hexadecimal characters (printf %s \"$TOKEN\" | sha256sum)"),
        hash => $"\"{Convert.ToHexStringLower(hash.AsSpan()[..Math.Min(4, hash.Length)])}...\"");

    /// <summary>Provider names, each checked against <paramref name="configured"/> when given (at load; the documentation and printing need no check).</summary>
    public static FieldKind<ImmutableArray<string>> ProviderNames(IReadOnlySet<string>? configured) => FieldKinds.List(
        "list of provider names",
        item => FieldKinds.ItemText(item) switch
        {
            null => Parsed<string>.Invalid("must be a provider name"),
            var name when configured is not null && !configured.Contains(name) =>
                Parsed<string>.Invalid($"provider {ConfigEcho.Quote(name)} is not configured under providers"),
            var name => Parsed<string>.Valid(name),
        },
        YamlText.Scalar);

    [GeneratedRegex(@"^[A-Za-z0-9._-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
