using System.Globalization;

namespace Isoproxy.Bench;

/// <summary>What /proc says about a set of processes (a proxy, or nginx's master and workers).</summary>
public static class ProcessStats
{
    /// <summary>Resident memory of all <paramref name="pids"/> together, in bytes (0 for a process that is gone).</summary>
    public static long ResidentBytes(IEnumerable<int> pids) => pids.Sum(pid => StatusKilobytes(pid, "VmRSS:") * 1024);

    /// <summary>Peak resident memory (VmHWM) of all <paramref name="pids"/> together, in bytes.</summary>
    public static long PeakResidentBytes(IEnumerable<int> pids) => pids.Sum(pid => StatusKilobytes(pid, "VmHWM:") * 1024);

    public static int Threads(int pid) => (int)StatusKilobytes(pid, "Threads:");

    public static int OpenDescriptors(int pid)
    {
        try
        {
            return Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long StatusKilobytes(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal))
                {
                    var number = line[field.Length..].Trim().Split(' ')[0];
                    return long.Parse(number, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process has exited: it holds nothing.
        }
        return 0;
    }
}
