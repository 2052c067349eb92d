using System.Text.RegularExpressions;
using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>The rules of a <c>providers.&lt;name&gt;</c> entry beyond its keys' own kinds; <see cref="ProviderParser"/> runs each in turn.</summary>
internal static partial class ProviderRules
{
    /// <summary>These are the first path segments of un-prefixed routes (<c>/v1/...</c>, <c>/health</c>).</summary>
    private static readonly string[] ReservedNames = ["v1", "health"];

    /// <summary>The name is the provider's URL path prefix, so it must be one and must not shadow a route of the proxy.</summary>
    public static bool CheckName(string name, int line, string path, ConfigDiagnostics diagnostics)
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

    /// <summary>The CA file, taken from the configuration's directory when relative, must exist and hold a certificate.</summary>
    public static ProviderSettings ResolveCaFile(MappingReader mapping, ProviderSettings provider, ConfigLoadContext context)
    {
        if (provider.CaFile is null)
        {
            return provider;
        }
        var fullPath = context.ResolvePath(provider.CaFile);
        var error = CaFileChecker.Check(fullPath);
        if (error is not null)
        {
            mapping.Error(ProviderFields.CaFile.Key, error);
        }
        return provider with { CaFile = fullPath };
    }

    public static void WarnPrivateAddresses(MappingReader mapping, ProviderSettings provider)
    {
        if (provider.UnsafeAllowPrivateAddresses)
        {
            mapping.Warning(ProviderFields.UnsafeAllowPrivateAddresses.Key,
                "is true: DNS answers for this endpoint may point the proxy at loopback, private and CGNAT addresses");
        }
    }

    [GeneratedRegex(@"^[a-z0-9-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
