using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Isoproxy.Hosting;

/// <summary>
/// Prepares the path of the Unix socket listener and creates it without a window in which the
/// socket is more open than configured.
/// </summary>
public static partial class UnixSocketFile
{
    /// <summary>
    /// Removes a stale socket left by a crash, so that start-up works again. Refuses a path that
    /// is not a socket (it is somebody's file) and a socket another process still serves.
    /// </summary>
    /// <returns>Null when the path is ready for bind, else the problem.</returns>
    public static string? PrepareForBind(string path)
    {
        var type = FileTypeOf(path);
        if (type == FileType.Missing)
        {
            var directory = Path.GetDirectoryName(path);
            return Directory.Exists(directory) ? null : $"listen.unix: directory {directory} does not exist";
        }
        if (type != FileType.Socket)
        {
            return $"listen.unix: {path} exists and is not a socket; refusing to replace it";
        }

        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
                return $"listen.unix: {path} is in use by another process";
            }
            catch (SocketException)
            {
                // Nobody listens: a stale socket from an earlier run.
            }
        }
        File.Delete(path);
        return null;
    }

    /// <summary>
    /// Runs <paramref name="bind"/> under a umask that creates the socket with exactly
    /// <paramref name="mode"/>, so it is never more open than configured, not even briefly.
    /// </summary>
    public static async Task BindWithModeAsync(UnixFileMode mode, Func<Task> bind)
    {
        var restrict = ~(uint)mode & 0x1FFu;
        var previous = Umask(restrict);
        try
        {
            await bind();
        }
        finally
        {
            Umask(previous);
        }
    }

    private enum FileType
    {
        Missing,
        Socket,
        Other,
    }

    private static FileType FileTypeOf(string path)
    {
        // .NET exposes no file type for sockets; statx's layout is the same on every architecture.
        const int AtFdCwd = -100;
        const int AtSymlinkNoFollow = 0x100;
        const uint StatxType = 0x1;
        const int ModeOffset = 28;
        const ushort TypeMask = 0xF000;
        const ushort SocketType = 0xC000;

        Span<byte> buffer = stackalloc byte[256];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            return FileType.Missing;
        }
        var mode = BitConverter.ToUInt16(buffer[ModeOffset..]);
        return (mode & TypeMask) == SocketType ? FileType.Socket : FileType.Other;
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, ref byte statxBuffer);
}
