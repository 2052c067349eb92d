using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Isoproxy.Configuration;

/// <summary>
/// Owner, type and mode of a file that is already open, read from its descriptor (statx with
/// <c>AT_EMPTY_PATH</c>): the file checked is the file read, whatever happens to its path meanwhile.
/// </summary>
/// <param name="IsRegularFile">True for a regular file.</param>
/// <param name="OwnerUid">The file's owner.</param>
/// <param name="Mode">The permission bits (including setuid, setgid and sticky).</param>
internal sealed partial record OpenFileStatus(bool IsRegularFile, uint OwnerUid, UnixFileMode Mode)
{
    /// <summary>The status of the open file, or null when the kernel could not say.</summary>
    public static OpenFileStatus? Of(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        // statx's layout is the same on every architecture.
        const int AtEmptyPath = 0x1000;
        const uint StatxTypeModeUid = 0x1 | 0x2 | 0x8;
        const int UidOffset = 20;
        const int ModeOffset = 28;
        const ushort TypeMask = 0xF000;
        const ushort RegularFile = 0x8000;

        Span<byte> buffer = stackalloc byte[256];
        var success = false;
        handle.DangerousAddRef(ref success);
        try
        {
            if (Statx((int)handle.DangerousGetHandle(), "", AtEmptyPath, StatxTypeModeUid, ref MemoryMarshal.GetReference(buffer)) != 0)
            {
                return null;
            }
        }
        finally
        {
            if (success)
            {
                handle.DangerousRelease();
            }
        }
        var mode = MemoryMarshal.Read<ushort>(buffer[ModeOffset..]);
        return new OpenFileStatus((mode & TypeMask) == RegularFile, MemoryMarshal.Read<uint>(buffer[UidOffset..]), (UnixFileMode)(mode & 0xFFF));
    }

    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUserId() => GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int directoryFd, string path, int flags, uint mask, ref byte statxBuffer);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();
}
