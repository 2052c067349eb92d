using System.Globalization;
using System.Text;

namespace Isoproxy.Hosting;

/// <summary>
/// Reports refused connections on stderr, at most one line per second, each with the counts since
/// the line before: an attack that opens thousands of connections cannot flood the logs too.
/// </summary>
public sealed class RefusalReporter(TextWriter diagnostics, ConnectionGate gate, TimeProvider time)
{
    /// <summary>The shortest time between two lines.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly long[] _pending = new long[Enum.GetValues<ConnectionRefusal>().Length];
    private readonly string?[] _lastDetail = new string?[Enum.GetValues<ConnectionRefusal>().Length];
    private long _lastLineAt = long.MinValue;
    private bool _lineScheduled;

    /// <summary>Counts a refusal and makes sure a line about it is written within <see cref="Interval"/>.</summary>
    /// <param name="reason">Why the connection was refused.</param>
    /// <param name="detail">What is worth saying about it (e.g. the peer's uid), or null.</param>
    public void Report(ConnectionRefusal reason, string? detail = null)
    {
        gate.CountRefused(reason);
        TimeSpan delay;
        lock (_lock)
        {
            _pending[(int)reason]++;
            _lastDetail[(int)reason] = detail;
            if (_lineScheduled)
            {
                return;
            }
            _lineScheduled = true;
            var sinceLast = _lastLineAt == long.MinValue ? Interval : time.GetElapsedTime(_lastLineAt);
            delay = sinceLast >= Interval ? TimeSpan.Zero : Interval - sinceLast;
        }
        if (delay == TimeSpan.Zero)
        {
            WriteLine();
        }
        else
        {
            _ = WriteLineLaterAsync(delay);
        }
    }

    private async Task WriteLineLaterAsync(TimeSpan delay)
    {
        await Task.Delay(delay, time);
        WriteLine();
    }

    private void WriteLine()
    {
        string line;
        lock (_lock)
        {
            line = Describe();
            Array.Clear(_pending);
            Array.Clear(_lastDetail);
            _lastLineAt = time.GetTimestamp();
            _lineScheduled = false;
        }
        diagnostics.WriteLine(line);
    }

    private string Describe()
    {
        var parts = new List<string>();
        for (var i = 0; i < _pending.Length; i++)
        {
            if (_pending[i] == 0)
            {
                continue;
            }
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{_pending[i]} {What((ConnectionRefusal)i)}");
            if (_lastDetail[i] is string detail)
            {
                text.Append(CultureInfo.InvariantCulture, $" (last: {detail})");
            }
            parts.Add(text.ToString());
        }
        return $"isoproxy: connections refused: {string.Join("; ", parts)}; {gate.Open} open";
    }

    private string What(ConnectionRefusal reason) => reason switch
    {
        ConnectionRefusal.OverMaxConnections => $"over max_connections ({gate.MaxConnections})",
        ConnectionRefusal.PeerNotAllowed => "from a Unix-socket peer not allowed",
        ConnectionRefusal.NoRequestInTime => "closed without a complete request within client_header_timeout_seconds",
        ConnectionRefusal.OutOfDescriptors => "not accepted: out of file descriptors",
        _ => reason.ToString(),
    };
}
