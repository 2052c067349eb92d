using Microsoft.AspNetCore.Connections;

namespace Isoproxy.Hosting;

/// <summary>
/// A connection must bring its first complete request line and headers within
/// <c>client_header_timeout_seconds</c> of accept; otherwise it is closed. (The server's own
/// header timer starts only with the first byte, and before that a connection would live for the
/// keep-alive time.) Attached to the connection as a feature; the first request disarms it.
/// </summary>
public sealed class FirstRequestDeadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenRegistration _expiry;
    private int _state;

    private const int Waiting = 0;
    private const int Arrived = 1;
    private const int Expired = 2;

    private FirstRequestDeadline(ConnectionContext connection, TimeSpan timeout, Action onExpired)
    {
        _timer = new CancellationTokenSource(timeout);
        _expiry = _timer.Token.Register(() =>
        {
            if (Interlocked.CompareExchange(ref _state, Expired, Waiting) == Waiting)
            {
                onExpired();
                connection.Abort(new ConnectionAbortedException("no complete request within client_header_timeout_seconds of accept"));
            }
        });
    }

    /// <summary>Starts the timer for <paramref name="connection"/> and attaches it as a feature.</summary>
    public static FirstRequestDeadline Arm(ConnectionContext connection, TimeSpan timeout, Action onExpired)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var deadline = new FirstRequestDeadline(connection, timeout, onExpired);
        connection.Features.Set(deadline);
        return deadline;
    }

    /// <summary>The first request's headers are in: from now on the keep-alive and request timers apply.</summary>
    public void RequestArrived()
    {
        if (Interlocked.CompareExchange(ref _state, Arrived, Waiting) == Waiting)
        {
            _expiry.Dispose();
        }
    }

    public void Dispose()
    {
        _expiry.Dispose();
        _timer.Dispose();
    }
}
