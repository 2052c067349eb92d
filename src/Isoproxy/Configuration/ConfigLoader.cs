using System.Collections.Immutable;
using System.Security.Cryptography;
using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>
/// Turns a YAML configuration into a validated <see cref="ProxyConfig"/>, or into the complete
/// list of what is wrong with it. Unknown keys are errors (a misspelt limit must not silently
/// become the default), and no message ever contains a key.
/// </summary>
public static class ConfigLoader
{
    private static readonly string[] KnownKeys = ["listen", "default_provider", "providers", "limits", "logging", "clients", "admin"];

    /// <summary>
    /// Largest configuration file read. A real one is a few kilobytes; the bound keeps a hostile
    /// or mistaken file (a log, /dev/zero) from exhausting memory before it is even parsed.
    /// </summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>Loads the file at <paramref name="path"/>; relative key and CA file paths are taken from its directory.</summary>
    public static ConfigLoadResult LoadFile(string path, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var fullPath = Path.GetFullPath(path);
        byte[] bytes;
        try
        {
            using var stream = File.OpenRead(fullPath);
            var buffer = new byte[MaxFileBytes + 1];
            var length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (length > MaxFileBytes)
            {
                return Failure(TooLargeMessage(path));
            }
            bytes = buffer[..length];
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return Failure($"{path}: configuration file not found");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Failure($"{path}: cannot read configuration file: {exception.Message}");
        }
        // Decoded as File.ReadAllText would (a byte order mark picks the encoding); hashed as read, so the
        // reported hash is of exactly the bytes that were loaded.
        using var reader = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true);
        var yaml = reader.ReadToEnd();
        var result = Load(yaml, path, Path.GetDirectoryName(fullPath) ?? Directory.GetCurrentDirectory(), getEnvironmentVariable);
        return result with { SourceSha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
    }

    /// <summary>
    /// Loads YAML text; <paramref name="sourceName"/> prefixes every message. Relative file paths
    /// are taken from the current directory.
    /// </summary>
    public static ConfigLoadResult LoadYaml(string yaml, string sourceName, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        if (System.Text.Encoding.UTF8.GetByteCount(yaml) > MaxFileBytes)
        {
            return Failure(TooLargeMessage(sourceName));
        }
        return Load(yaml, sourceName, Directory.GetCurrentDirectory(), getEnvironmentVariable);
    }

    /// <summary>The configuration used when none is given: Anthropic's API with the key from ANTHROPIC_API_KEY.</summary>
    public static ConfigLoadResult BuiltInDefault(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        return BuiltInConfig.Create(getEnvironmentVariable);
    }

    internal static ConfigLoadResult Load(string yaml, string sourceName, string baseDirectory, Func<string, string?> getEnvironmentVariable)
    {
        var diagnostics = new ConfigDiagnostics(sourceName);
        var context = new ConfigLoadContext(diagnostics, getEnvironmentVariable, baseDirectory);
        var rootNode = ConfigTreeReader.Read(yaml, diagnostics);
        if (rootNode is null)
        {
            if (!diagnostics.HasErrors)
            {
                diagnostics.Error(0, "providers", "is required: the file is empty");
            }
            return Result(null, diagnostics);
        }
        var root = MappingReader.Create(rootNode, "", diagnostics, KnownKeys);
        return Result(root is null ? null : ParseRoot(root, context), diagnostics);
    }

    private static ProxyConfig? ParseRoot(MappingReader root, ConfigLoadContext context)
    {
        var listen = ListenParser.Parse(root);
        var (providers, declaredNames) = ParseProviders(root, context);
        var defaultProvider = ParseDefaultProvider(root, declaredNames);
        var limits = LimitsParser.Parse(root);
        var logging = LoggingParser.Parse(root);
        var clients = ClientsParser.Parse(root, declaredNames, context.Diagnostics);
        var admin = AdminParser.Parse(root);
        return new ProxyConfig(listen, defaultProvider, providers, limits, logging, clients) { Admin = admin };
    }

    /// <summary>
    /// The valid providers, and the names of all declared ones: other sections are checked against
    /// the declared names so that one broken provider does not cascade into more errors.
    /// </summary>
    private static (ImmutableArray<ProviderConfig> Providers, IReadOnlySet<string> DeclaredNames) ParseProviders(
        MappingReader root, ConfigLoadContext context)
    {
        var providers = ImmutableArray.CreateBuilder<ProviderConfig>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!root.Has("providers"))
        {
            root.Error("providers", "is required: configure at least one upstream provider");
            return (providers.ToImmutable(), names);
        }
        var section = root.Mapping("providers", knownKeys: null);
        if (section is null)
        {
            return (providers.ToImmutable(), names);
        }
        foreach (var entry in section.Entries)
        {
            names.Add(entry.Key.Value);
            var provider = ProviderParser.Parse(entry, section.ChildPath(entry.Key.Value), context);
            if (provider is not null)
            {
                providers.Add(provider);
            }
        }
        if (names.Count == 0)
        {
            root.Error("providers", "must configure at least one provider");
        }
        return (providers.ToImmutable(), names);
    }

    private static string? ParseDefaultProvider(MappingReader root, IReadOnlySet<string> declaredNames)
    {
        var field = RootFields.DefaultProvider;
        var name = field.Kind.Read(root, field.Key).Value;
        if (name is null)
        {
            // One provider is unambiguous; with several, un-prefixed paths are refused rather than guessed.
            return declaredNames.Count == 1 ? declaredNames.Single() : null;
        }
        if (!declaredNames.Contains(name))
        {
            root.Error(field.Key, $"names provider {ConfigEcho.Quote(name)}, which is not configured under providers");
            return null;
        }
        return name;
    }

    private static ConfigLoadResult Result(ProxyConfig? config, ConfigDiagnostics diagnostics) =>
        diagnostics.HasErrors
            ? new ConfigLoadResult(null, diagnostics.Errors, diagnostics.Warnings)
            : new ConfigLoadResult(config, [], diagnostics.Warnings);

    private static ConfigLoadResult Failure(string error) => new(null, [error], []);

    private static string TooLargeMessage(string source) =>
        $"{source}: configuration file is larger than {MaxFileBytes} bytes (1 MiB), the limit; a configuration is a few kilobytes";
}
