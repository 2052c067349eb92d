namespace Isoproxy.Tests.Configuration;

/// <summary>A private temporary directory, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("isoproxy-config-test-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="content"/> to a file with the given Unix mode and returns its path.</summary>
    public string WriteFile(string name, string content, UnixFileMode mode)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
