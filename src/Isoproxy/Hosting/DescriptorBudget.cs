using System.Runtime.InteropServices;

namespace Isoproxy.Hosting;

/// <summary>
/// How many client connections the process's file-descriptor limit can hold. Each connection
/// takes a descriptor; running out of them would stop /health and forwarding (a new upstream
/// connection needs one too) and can abort the runtime. So the connection limit is kept below
/// what is left, with room for the upstream connections of every request in flight.
/// </summary>
public static partial class DescriptorBudget
{
    /// <summary>Room for what the process opens later: runtime files, DNS lookups, key and CA files, a few spare.</summary>
    public const int Spare = 128;

    /// <summary>The fewest connections ever allowed, so a tiny limit still leaves the proxy usable.</summary>
    public const int Minimum = 8;

    /// <summary>
    /// The number of client connections to allow: <paramref name="configured"/>, or less when the
    /// descriptors left after <paramref name="inUse"/> cannot hold it together with two per
    /// request in flight (upstream connection, and one being replaced) and <see cref="Spare"/>.
    /// </summary>
    public static int MaxConnections(int configured, long descriptorLimit, int inUse, int maxConcurrentRequests)
    {
        var available = descriptorLimit - inUse - (2L * maxConcurrentRequests) - Spare;
        return (int)Math.Min(configured, Math.Max(Minimum, available));
    }

    /// <summary>The soft RLIMIT_NOFILE and the descriptors open now, or null when they cannot be read.</summary>
    public static (long Limit, int InUse)? Measure()
    {
        if (!OperatingSystem.IsLinux() || GetRLimit(RLimitNoFile, out var limit) != 0)
        {
            return null;
        }
        try
        {
            var inUse = Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
            return ((long)Math.Min(limit.Current, long.MaxValue), inUse);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private const int RLimitNoFile = 7;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);
}
