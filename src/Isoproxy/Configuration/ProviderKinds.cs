using System.Collections.Immutable;
using System.Net;
using System.Text.RegularExpressions;
using Isoproxy.Addresses;

namespace Isoproxy.Configuration;

/// <summary>The kinds of value of a provider's keys.</summary>
internal static partial class ProviderKinds
{
    /// <summary>The value is never echoed: it may carry user info, i.e. a password.</summary>
    public static FieldKind<Uri?> Endpoint { get; } = FieldKinds.Text<Uri?>(
        "https URL",
        ParseEndpoint,
        endpoint => endpoint is null ? "null" : YamlText.Scalar(endpoint.OriginalString));

    /// <summary>Not echoed when invalid: a value that is no variable name may well be a pasted key.</summary>
    public static FieldKind<string?> EnvironmentVariableName { get; } = FieldKinds.Text<string?>(
        "environment variable name",
        text => EnvironmentNamePattern().IsMatch(text)
            ? Parsed<string?>.Valid(text)
            : Parsed<string?>.Invalid("must be an environment variable name (letters, digits, _), not the key itself"),
        YamlText.ScalarOrNull);

    public static FieldKind<string?> FilePath { get; } = FieldKinds.Text("path");

    public static FieldKind<string?> CredentialName { get; } = FieldKinds.Text("systemd credential name");

    public static FieldKind<UpstreamAuth> Auth { get; } = FieldKinds.Words<UpstreamAuth>(
        "`x-api-key` \\| `bearer`",
        [("x-api-key", UpstreamAuth.XApiKey), ("bearer", UpstreamAuth.Bearer)],
        "must be x-api-key or bearer",
        word => word);

    public static FieldKind<Version> HttpVersion { get; } = FieldKinds.Scalar(
        "`\"1.1\"` \\| `\"2\"`",
        text => text switch
        {
            "1.1" => Parsed<Version>.Valid(System.Net.HttpVersion.Version11),
            "2" or "2.0" => Parsed<Version>.Valid(System.Net.HttpVersion.Version20),
            _ => Parsed<Version>.Invalid("must be \"1.1\" or \"2\""),
        },
        version => version.Major >= 2 ? "\"2\"" : "\"1.1\"");

    /// <summary>Even an explicit pin may not name a link-local or metadata address: no API lives there.</summary>
    public static FieldKind<ImmutableArray<IPAddress>> PinnedAddresses { get; } = FieldKinds.List(
        "list of IP addresses",
        item => FieldKinds.ItemText(item) is { } text && IpLiteral.TryParse(text, out var address)
            ? new Parsed<IPAddress>(true, address, AddressPolicy.Classify(address) is { Class: AddressClass.Forbidden } verdict
                ? $"{address} is {verdict.Reason}, which the proxy never connects to"
                : null)
            : Parsed<IPAddress>.Invalid("must be an IP address (resolve pins addresses so that no DNS is used)"),
        address => YamlText.Scalar(address.ToString()));

    /// <summary>A rooted path parses as a file: URI on Unix, so it is refused explicitly as relative.</summary>
    private static Parsed<Uri?> ParseEndpoint(string text)
    {
        if (text.StartsWith('/') || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return Parsed<Uri?>.Invalid("must be an absolute https URL such as https://api.anthropic.com");
        }
        var problem = uri.Scheme switch
        {
            _ when uri.Scheme == Uri.UriSchemeHttp => "must use https: the key would cross the network in plain text",
            _ when uri.Scheme != Uri.UriSchemeHttps => "must use https (an absolute https URL such as https://api.anthropic.com)",
            _ when uri.UserInfo.Length > 0 => "must not contain user info (user@ or user:password@); keys go in api_key_env or api_key_file",
            _ when text.Contains('?', StringComparison.Ordinal) => "must not contain a query (?...)",
            _ when text.Contains('#', StringComparison.Ordinal) => "must not contain a fragment (#...)",
            _ when uri.Host.Length == 0 => "must name a host",
            _ => null,
        };
        if (problem is null && UpstreamHost.AsIPAddress(uri.DnsSafeHost) is IPAddress literal
            && AddressPolicy.Classify(literal) is { Class: AddressClass.Forbidden } verdict)
        {
            problem = $"names {verdict.Reason}, which the proxy never connects to";
        }
        // Request paths are appended to the base path, so a trailing slash would double up.
        return problem is null
            ? Parsed<Uri?>.Valid(new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/')))
            : Parsed<Uri?>.Invalid(problem);
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentNamePattern();
}
