using System.Collections.Immutable;
using System.Net;
using System.Text.RegularExpressions;
using Isoproxy.Addresses;
using Isoproxy.Configuration.Yaml;
using Isoproxy.Credentials;

namespace Isoproxy.Configuration;

/// <summary>Reads one entry of the <c>providers:</c> mapping.</summary>
internal static partial class ProviderParser
{
    private static readonly string[] KnownKeys =
    [
        "endpoint", "api_key_env", "api_key_file", "api_key_credential", "auth", "ca_file", "http_version", "resolve",
        "unsafe_allow_private_addresses",
    ];

    /// <summary>These are the first path segments of un-prefixed routes (<c>/v1/...</c>, <c>/health</c>).</summary>
    private static readonly string[] ReservedNames = ["v1", "health"];

    /// <summary>The provider, or null when any of its settings is invalid (every problem is reported).</summary>
    public static ProviderConfig? Parse(ConfigEntry entry, string path, ConfigLoadContext context)
    {
        var name = entry.Key.Value;
        var nameValid = CheckName(name, entry.Key.Line, path, context.Diagnostics);
        var provider = MappingReader.Create(entry.Value, path, context.Diagnostics, KnownKeys);
        if (provider is null)
        {
            return null;
        }

        var endpoint = ParseEndpoint(provider);
        var (key, keySource) = ParseKey(provider, context);
        var auth = ParseAuth(provider);
        var caFile = ParseCaFile(provider, context);
        var httpVersion = ParseHttpVersion(provider);
        var resolve = ParseResolve(provider);
        var unsafePrivate = provider.Bool("unsafe_allow_private_addresses") ?? false;
        if (unsafePrivate)
        {
            provider.Warning("unsafe_allow_private_addresses",
                "is true: DNS answers for this endpoint may point the proxy at loopback, private and CGNAT addresses");
        }

        if (!nameValid || endpoint is null || key is null || keySource is null || auth is null || httpVersion is null)
        {
            return null;
        }
        return new ProviderConfig(name, endpoint, key, keySource, auth.Value, caFile, httpVersion, resolve, unsafePrivate);
    }

    private static bool CheckName(string name, int line, string path, ConfigDiagnostics diagnostics)
    {
        if (!NamePattern().IsMatch(name))
        {
            diagnostics.Error(line, path, "provider name must match ^[a-z0-9-]+$ (it is also the URL path prefix)");
            return false;
        }
        if (ReservedNames.Contains(name))
        {
            diagnostics.Error(line, path, $"provider name \"{name}\" is reserved: /{name}/... is a route of the proxy itself");
            return false;
        }
        return true;
    }

    private static Uri? ParseEndpoint(MappingReader provider)
    {
        if (!provider.Has("endpoint"))
        {
            provider.Error("endpoint", "is required (an https URL such as https://api.anthropic.com)");
            return null;
        }
        var text = provider.String("endpoint");
        if (text is null)
        {
            return null;
        }
        // The value is never echoed: it may carry user info, i.e. a password.
        // A rooted path parses as a file: URI on Unix, so it is refused explicitly as relative.
        if (text.StartsWith('/') || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            provider.Error("endpoint", "must be an absolute https URL such as https://api.anthropic.com");
            return null;
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
        if (problem is not null)
        {
            provider.Error("endpoint", problem);
            return null;
        }
        // Request paths are appended to the base path, so a trailing slash would double up.
        return new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }

    private static (ApiKey? Key, string? Source) ParseKey(MappingReader provider, ConfigLoadContext context)
    {
        var hasEnv = provider.Has("api_key_env");
        var hasFile = provider.Has("api_key_file");
        var hasCredential = provider.Has("api_key_credential");
        var sources = (hasEnv ? 1 : 0) + (hasFile ? 1 : 0) + (hasCredential ? 1 : 0);
        if (sources > 1)
        {
            provider.Error(hasFile ? "api_key_file" : "api_key_credential",
                "set exactly one of api_key_env, api_key_file and api_key_credential, not several");
            return (null, null);
        }
        if (sources == 0)
        {
            provider.ErrorHere(
                "set api_key_env (an environment variable name), api_key_file (a file path) or api_key_credential (a systemd credential name) for the provider's key");
            return (null, null);
        }
        if (hasCredential)
        {
            return ParseCredential(provider, context);
        }

        string? error;
        if (hasEnv)
        {
            var name = provider.String("api_key_env");
            if (name is null)
            {
                return (null, null);
            }
            if (!EnvironmentNamePattern().IsMatch(name))
            {
                // Not echoed: a value that is no variable name may well be a pasted key.
                provider.Error("api_key_env", "must be an environment variable name (letters, digits, _), not the key itself");
                return (null, null);
            }
            var fromEnvironment = ProviderKeyReader.FromEnvironment(name, context.GetEnvironmentVariable, out error);
            if (error is not null)
            {
                provider.Error("api_key_env", error);
                return (null, null);
            }
            return (fromEnvironment, $"env:{name}");
        }

        var path = provider.String("api_key_file");
        if (path is null)
        {
            return (null, null);
        }
        var fullPath = context.ResolvePath(path);
        if (!path.Contains('/', StringComparison.Ordinal) && !ConfigEcho.IsSafe(path) && !File.Exists(fullPath))
        {
            // Not echoed: a value that names no file and looks like no file name may well be a pasted key.
            provider.Error("api_key_file", "names no existing file (value not shown: it may be the key itself; api_key_file takes the path of a file holding the key)");
            return (null, null);
        }
        var fromFile = ProviderKeyReader.FromFile(fullPath, out error);
        if (error is not null)
        {
            provider.Error("api_key_file", error);
            return (null, null);
        }
        return (fromFile, $"file:{fullPath}");
    }

    private static (ApiKey? Key, string? Source) ParseCredential(MappingReader provider, ConfigLoadContext context)
    {
        var name = provider.String("api_key_credential");
        if (name is null)
        {
            return (null, null);
        }
        var key = ProviderCredentialReader.FromCredential(name, context.GetEnvironmentVariable, out var error);
        if (error is not null)
        {
            provider.Error("api_key_credential", error);
            return (null, null);
        }
        return (key, $"credential:{name}");
    }

    private static UpstreamAuth? ParseAuth(MappingReader provider)
    {
        var text = provider.Scalar("auth")?.Value;
        switch (text)
        {
            case null when !provider.Has("auth"):
                return UpstreamAuth.XApiKey;
            case "x-api-key":
                return UpstreamAuth.XApiKey;
            case "bearer":
                return UpstreamAuth.Bearer;
            case null:
                return null;
            default:
                provider.Error("auth", "must be x-api-key or bearer");
                return null;
        }
    }

    private static string? ParseCaFile(MappingReader provider, ConfigLoadContext context)
    {
        var path = provider.String("ca_file");
        if (path is null)
        {
            return null;
        }
        var fullPath = context.ResolvePath(path);
        var error = CaFileChecker.Check(fullPath);
        if (error is not null)
        {
            provider.Error("ca_file", error);
        }
        return fullPath;
    }

    private static Version? ParseHttpVersion(MappingReader provider)
    {
        var text = provider.Scalar("http_version")?.Value;
        switch (text)
        {
            case null when !provider.Has("http_version"):
                return HttpVersion.Version11;
            case "1.1":
                return HttpVersion.Version11;
            case "2" or "2.0":
                return HttpVersion.Version20;
            case null:
                return null;
            default:
                provider.Error("http_version", "must be \"1.1\" or \"2\"");
                return null;
        }
    }

    private static ImmutableArray<IPAddress> ParseResolve(MappingReader provider)
    {
        var items = provider.Sequence("resolve");
        if (items is null)
        {
            return [];
        }
        var addresses = ImmutableArray.CreateBuilder<IPAddress>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is ConfigScalar { IsNull: false } scalar && IpLiteral.TryParse(scalar.Value, out var address))
            {
                // Even an explicit pin may not name a link-local or metadata address: no API lives there.
                if (AddressPolicy.Classify(address) is { Class: AddressClass.Forbidden } verdict)
                {
                    provider.ItemError("resolve", i, items[i], $"{address} is {verdict.Reason}, which the proxy never connects to");
                }
                addresses.Add(address);
            }
            else
            {
                provider.ItemError("resolve", i, items[i], "must be an IP address (resolve pins addresses so that no DNS is used)");
            }
        }
        return addresses.ToImmutable();
    }

    [GeneratedRegex(@"^[a-z0-9-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentNamePattern();
}
