using System.Runtime.InteropServices;

namespace Isoproxy.Hosting;

/// <summary>What the process does to itself at start so that its memory, and the keys in it, stay its own.</summary>
public static partial class ProcessHardening
{
    private const int PrSetDumpable = 4;

    /// <summary>
    /// Makes the process non-dumpable: no core dumps, and other processes of the same user can
    /// neither ptrace it nor read <c>/proc/PID/environ</c> or <c>/proc/PID/mem</c>, where
    /// <c>api_key_env</c> keys live.
    /// </summary>
    /// <returns>Null on success (or off Linux), else the reason it failed.</returns>
    public static string? MakeNonDumpable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        return Prctl(PrSetDumpable, 0, 0, 0, 0) == 0
            ? null
            : $"prctl(PR_SET_DUMPABLE, 0) failed with errno {Marshal.GetLastPInvokeError()}";
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
