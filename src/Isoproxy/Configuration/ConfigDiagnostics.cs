using System.Collections.Immutable;

namespace Isoproxy.Configuration;

/// <summary>
/// Collects every error and warning of one load. Loading never stops at the first problem: a
/// user fixing a file should see all of them at once.
/// </summary>
internal sealed class ConfigDiagnostics(string sourceName)
{
    private readonly List<string> _errors = [];
    private readonly List<string> _warnings = [];

    public bool HasErrors => _errors.Count > 0;

    public ImmutableArray<string> Errors => [.. _errors];

    public ImmutableArray<string> Warnings => [.. _warnings];

    /// <summary>Records an error at a line (0 = no line) and a key path (empty = the whole file).</summary>
    /// <remarks>Callers never pass a key value in <paramref name="message"/>.</remarks>
    public void Error(int line, string keyPath, string message) => _errors.Add(Format(line, keyPath, message));

    public void Warning(int line, string keyPath, string message) => _warnings.Add(Format(line, keyPath, message));

    private string Format(int line, string keyPath, string message)
    {
        var location = line > 0 ? $"{sourceName}:{line}" : sourceName;
        return keyPath.Length > 0 ? $"{location}: {keyPath}: {message}" : $"{location}: {message}";
    }
}
