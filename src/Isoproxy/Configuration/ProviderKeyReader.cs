using System.Text;
using Isoproxy.Credentials;

namespace Isoproxy.Configuration;

/// <summary>
/// Reads a provider key from the environment or from a file. Error texts name the variable or
/// the file, never the key.
/// </summary>
internal static class ProviderKeyReader
{
    /// <summary>A key file is a few hundred bytes at most; the bound keeps e.g. /dev/zero from hanging the load.</summary>
    private const int MaxKeyFileBytes = 16 * 1024;

    /// <summary>Group and others must have no access at all: a key readable by another user is a leaked key.</summary>
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static ApiKey? FromEnvironment(string name, Func<string, string?> getEnvironmentVariable, out string? error)
    {
        var value = getEnvironmentVariable(name);
        if (string.IsNullOrEmpty(value))
        {
            error = ConfigEcho.IsSafe(name)
                ? $"environment variable {name} is not set or empty"
                : "the environment variable named here is not set or empty";
            return null;
        }
        if (!IsPlausibleKey(value))
        {
            error = $"environment variable {(ConfigEcho.IsSafe(name) ? name : "named here")} holds whitespace or control characters, which a key never contains";
            return null;
        }
        error = null;
        return new ApiKey(value);
    }

    /// <summary>The key in <paramref name="path"/> (absolute), with one trailing newline removed.</summary>
    /// <remarks>
    /// Owner and mode are checked on the open descriptor that is then read, not on the path, so
    /// a file swapped in between cannot pass the check of another.
    /// </remarks>
    public static ApiKey? FromFile(string path, out string? error)
    {
        error = CheckPath(path);
        if (error is not null)
        {
            return null;
        }
        string text;
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            error = CheckOpenFile(handle, path);
            if (error is not null)
            {
                return null;
            }
            var buffer = new byte[MaxKeyFileBytes + 1];
            var length = 0;
            while (length < buffer.Length)
            {
                var read = RandomAccess.Read(handle, buffer.AsSpan(length), length);
                if (read == 0)
                {
                    break;
                }
                length += read;
            }
            if (length > MaxKeyFileBytes)
            {
                error = $"key file {path} is larger than {MaxKeyFileBytes} bytes; it should hold only the key";
                return null;
            }
            text = Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read key file {path}: {exception.Message}";
            return null;
        }

        // Editors and `echo` end files with a newline; it is not part of the key.
        var key = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2]
            : text.EndsWith('\n') ? text[..^1]
            : text;
        if (key.Length == 0)
        {
            error = $"key file {path} is empty";
            return null;
        }
        if (!IsPlausibleKey(key))
        {
            error = $"key file {path} holds whitespace or control characters besides one trailing newline; it should hold only the key";
            return null;
        }
        return new ApiKey(key);
    }

    /// <summary>Problems that can be named before opening: a clearer message than the open's error.</summary>
    private static string? CheckPath(string path)
    {
        if (Directory.Exists(path))
        {
            return $"key file {path} is a directory";
        }
        if (!File.Exists(path))
        {
            return $"key file {path} does not exist";
        }
        return null;
    }

    /// <summary>
    /// The file must be a regular file owned by the proxy's own user or root, with no permission
    /// for group or others: otherwise another user can read the key, or replace it with theirs.
    /// </summary>
    private static string? CheckOpenFile(Microsoft.Win32.SafeHandles.SafeFileHandle handle, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }
        var status = OpenFileStatus.Of(handle);
        if (status is null)
        {
            return $"cannot check owner and mode of key file {path}";
        }
        if (!status.IsRegularFile)
        {
            return $"key file {path} is not a regular file";
        }
        var ownUid = OpenFileStatus.EffectiveUserId();
        if (status.OwnerUid != ownUid && status.OwnerUid != 0)
        {
            return $"key file {path} is owned by uid {status.OwnerUid}, neither the proxy's own user (uid {ownUid}) nor root; " +
                $"run: chown {ownUid} {ShellQuote(path)}";
        }
        if ((status.Mode & GroupOrOthers) != 0)
        {
            var octal = Convert.ToString((int)status.Mode & 0xFFF, 8).PadLeft(4, '0');
            var access = (status.Mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0 ? "readable" : "writable or executable";
            return $"key file {path} is {access} by group or others (mode {octal}); run: chmod 600 {ShellQuote(path)}";
        }
        return null;
    }

    /// <summary>
    /// Keys are printable ASCII without spaces. Anything else (an embedded newline, say) would be
    /// a broken key at best and a header injection at worst, so it is refused here.
    /// </summary>
    private static bool IsPlausibleKey(string value) => value.All(c => c is > ' ' and < '\x7f');

    private static string ShellQuote(string path) =>
        path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-')
            ? path
            : $"'{path.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
