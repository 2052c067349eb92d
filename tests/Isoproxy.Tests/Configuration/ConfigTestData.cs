using Isoproxy.Configuration;
using Xunit;

namespace Isoproxy.Tests.Configuration;

/// <summary>Locations of the configuration testdata and the fake environment every test loads with.</summary>
internal static class ConfigTestData
{
    /// <summary>A key that must never appear in any message or rendering.</summary>
    public const string CanaryKey = "sk-canary-CONFIG-1234567890";

    public const string OpenRouterCanaryKey = "sk-canary-CONFIG-openrouter-0987654321";

    private const string ExpectPrefix = "# expect: ";

    /// <summary>The environment of the table tests; the process's own environment is never read.</summary>
    public static readonly IReadOnlyDictionary<string, string> StandardEnvironment = new Dictionary<string, string>
    {
        ["ANTHROPIC_API_KEY"] = CanaryKey,
        ["OPENROUTER_API_KEY"] = OpenRouterCanaryKey,
        ["EMPTY_API_KEY"] = "",
        ["NEWLINE_API_KEY"] = CanaryKey + "\nX-Injected: 1",
    };

    public static string Root => Path.Combine(AppContext.BaseDirectory, "testdata", "config");

    public static Func<string, string?> Environment(IReadOnlyDictionary<string, string> variables) =>
        name => variables.TryGetValue(name, out var value) ? value : null;

    public static Func<string, string?> StandardGetEnvironmentVariable => Environment(StandardEnvironment);

    /// <summary>The <c>*.yaml</c> files of a testdata folder, by name relative to <see cref="Root"/>.</summary>
    public static TheoryData<string> Files(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(Root, folder), "*.yaml").Order(StringComparer.Ordinal))
        {
            data.Add($"{folder}/{Path.GetFileName(path)}");
        }
        return data;
    }

    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    /// <summary>The fragment on the file's first line (<c># expect: ...</c>).</summary>
    public static string ExpectedFragment(string relativePath)
    {
        var firstLine = File.ReadLines(PathOf(relativePath)).First();
        Assert.StartsWith(ExpectPrefix, firstLine, StringComparison.Ordinal);
        return firstLine[ExpectPrefix.Length..];
    }

    /// <summary>
    /// Git and the build copy files as 0644, which the loader rightly refuses for key files; the
    /// copies in the output directory are made owner-only before use. Idempotent.
    /// </summary>
    public static void SecureKeyFiles()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        foreach (var path in Directory.GetFiles(Path.Combine(Root, "files"), "*.key"))
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    public static ConfigLoadResult LoadFile(string relativePath) =>
        ConfigLoader.LoadFile(PathOf(relativePath), StandardGetEnvironmentVariable);

    /// <summary>Every error and warning, for assertion messages.</summary>
    public static string Describe(ConfigLoadResult result) =>
        $"errors:\n  {string.Join("\n  ", result.Errors)}\nwarnings:\n  {string.Join("\n  ", result.Warnings)}";
}
