using Isoproxy.Configuration.Yaml;
using Isoproxy.Credentials;

namespace Isoproxy.Configuration;

/// <summary>
/// Reads one entry of the <c>providers:</c> mapping: each key as its row in
/// <see cref="ProviderFields"/> reads it, in the file's order of meaning, then the key itself from
/// the one source named.
/// </summary>
internal static class ProviderParser
{
    private static readonly string[] KnownKeys = [.. ProviderFields.All.Select(field => field.Key)];

    /// <summary>
    /// The provider, or null when its name, endpoint or key is unusable. Every problem is reported,
    /// and any one of them fails the load.
    /// </summary>
    public static ProviderConfig? Parse(ConfigEntry entry, string path, ConfigLoadContext context)
    {
        var name = entry.Key.Value;
        var nameValid = ProviderRules.CheckName(name, entry.Key.Line, path, context.Diagnostics);
        var mapping = MappingReader.Create(entry.Value, path, context.Diagnostics, KnownKeys);
        if (mapping is null)
        {
            return null;
        }

        var provider = ProviderFields.Endpoint.Read(mapping, ProviderFields.Defaults);
        var (key, keySource) = ParseKey(mapping, context);
        provider = ProviderFields.Auth.Read(mapping, provider);
        provider = ProviderFields.CaFile.Read(mapping, provider);
        provider = ProviderRules.ResolveCaFile(mapping, provider, context);
        provider = ProviderFields.HttpVersion.Read(mapping, provider);
        provider = ProviderFields.Resolve.Read(mapping, provider);
        provider = ProviderFields.UnsafeAllowPrivateAddresses.Read(mapping, provider);
        ProviderRules.WarnPrivateAddresses(mapping, provider);

        if (!nameValid || provider.Endpoint is null || key is null || keySource is null)
        {
            return null;
        }
        return new ProviderConfig(
            name, provider.Endpoint, key, keySource, provider.Auth, provider.CaFile, provider.HttpVersion, provider.Resolve,
            provider.UnsafeAllowPrivateAddresses);
    }

    /// <summary>The key from the one source named; the sources' names are read by their rows.</summary>
    private static (ApiKey? Key, string? Source) ParseKey(MappingReader mapping, ConfigLoadContext context)
    {
        var hasEnv = mapping.Has(ProviderFields.ApiKeyEnv.Key);
        var hasFile = mapping.Has(ProviderFields.ApiKeyFile.Key);
        var hasCredential = mapping.Has(ProviderFields.ApiKeyCredential.Key);
        var sources = (hasEnv ? 1 : 0) + (hasFile ? 1 : 0) + (hasCredential ? 1 : 0);
        if (sources > 1)
        {
            mapping.Error(hasFile ? ProviderFields.ApiKeyFile.Key : ProviderFields.ApiKeyCredential.Key,
                "set exactly one of api_key_env, api_key_file and api_key_credential, not several");
            return (null, null);
        }
        if (sources == 0)
        {
            mapping.ErrorHere(
                "set api_key_env (an environment variable name), api_key_file (a file path) or api_key_credential (a systemd credential name) for the provider's key");
            return (null, null);
        }
        var names = ProviderFields.ApiKeyEnv.Read(mapping, ProviderFields.Defaults);
        names = ProviderFields.ApiKeyFile.Read(mapping, names);
        names = ProviderFields.ApiKeyCredential.Read(mapping, names);
        return names switch
        {
            { ApiKeyCredential: { } credential } => FromCredential(mapping, credential, context),
            { ApiKeyEnv: { } variable } => FromEnvironment(mapping, variable, context),
            { ApiKeyFile: { } file } => FromFile(mapping, file, context),
            _ => (null, null),
        };
    }

    private static (ApiKey? Key, string? Source) FromEnvironment(MappingReader mapping, string name, ConfigLoadContext context)
    {
        var key = ProviderKeyReader.FromEnvironment(name, context.GetEnvironmentVariable, out var error);
        if (error is not null)
        {
            mapping.Error(ProviderFields.ApiKeyEnv.Key, error);
            return (null, null);
        }
        return (key, $"env:{name}");
    }

    private static (ApiKey? Key, string? Source) FromFile(MappingReader mapping, string path, ConfigLoadContext context)
    {
        var fullPath = context.ResolvePath(path);
        if (!path.Contains('/', StringComparison.Ordinal) && !ConfigEcho.IsSafe(path) && !File.Exists(fullPath))
        {
            // Not echoed: a value that names no file and looks like no file name may well be a pasted key.
            mapping.Error(ProviderFields.ApiKeyFile.Key,
                "names no existing file (value not shown: it may be the key itself; api_key_file takes the path of a file holding the key)");
            return (null, null);
        }
        var key = ProviderKeyReader.FromFile(fullPath, out var error);
        if (error is not null)
        {
            mapping.Error(ProviderFields.ApiKeyFile.Key, error);
            return (null, null);
        }
        return (key, $"file:{fullPath}");
    }

    private static (ApiKey? Key, string? Source) FromCredential(MappingReader mapping, string name, ConfigLoadContext context)
    {
        var key = ProviderCredentialReader.FromCredential(name, context.GetEnvironmentVariable, out var error);
        if (error is not null)
        {
            mapping.Error(ProviderFields.ApiKeyCredential.Key, error);
            return (null, null);
        }
        return (key, $"credential:{name}");
    }
}
