namespace Isoproxy.Configuration;

/// <summary>What every section parser of one load needs besides its own mapping.</summary>
/// <param name="Diagnostics">Where problems go.</param>
/// <param name="GetEnvironmentVariable">The environment, injected so that tests never touch the process's own.</param>
/// <param name="BaseDirectory">Relative file paths (<c>api_key_file</c>, <c>ca_file</c>) are resolved against it: the configuration file's directory.</param>
internal sealed record ConfigLoadContext(ConfigDiagnostics Diagnostics, Func<string, string?> GetEnvironmentVariable, string BaseDirectory)
{
    public string ResolvePath(string path) => Path.GetFullPath(path, BaseDirectory);
}
