namespace Isoproxy.Limits;

/// <summary>
/// The two moments of a graceful stop: <see cref="Stopping"/> (no new requests) and, after
/// <c>shutdown_grace_seconds</c>, <see cref="GraceExpired"/> (end what is still running).
/// </summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _graceExpired = new();

    public CancellationToken Stopping => _stopping.Token;
    public CancellationToken GraceExpired => _graceExpired.Token;

    /// <summary>Starts the stop: refuse new requests now, end remaining ones after <paramref name="grace"/>.</summary>
    public void Begin(TimeSpan grace)
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        _stopping.Cancel();
        _graceExpired.CancelAfter(grace);
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _graceExpired.Dispose();
    }
}
