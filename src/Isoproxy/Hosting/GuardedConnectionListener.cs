using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Win32.SafeHandles;

namespace Isoproxy.Hosting;

/// <summary>
/// Accepts connections on one listening socket. When the process runs out of file descriptors,
/// accept fails at once for as long as the shortage lasts; retrying at once would spin a core and
/// flood the logs. Instead the listener gives up a descriptor it holds in reserve, accepts the
/// waiting connection and closes it at once (so the client learns it was refused rather than
/// waiting in the backlog), takes the reserve back and retries after a pause that doubles up to
/// <see cref="MaxBackoff"/>. Established connections keep working meanwhile; as soon as
/// descriptors free up, accepting resumes.
/// </summary>
public sealed class GuardedConnectionListener(Socket listenSocket, SocketConnectionContextFactory factory, bool noDelay, RefusalReporter reporter)
    : IConnectionListener
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    private SafeFileHandle? _reserve = OpenReserve();

    public EndPoint EndPoint { get; } = listenSocket.LocalEndPoint!;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        var backoff = FirstBackoff;
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await listenSocket.AcceptAsync(cancellationToken);
            }
            catch (SocketException ex) when (IsOutOfDescriptors(ex.SocketErrorCode))
            {
                reporter.Report(ConnectionRefusal.OutOfDescriptors);
                try
                {
                    await RefuseOneWithReserveAsync(cancellationToken);
                    await Task.Delay(backoff, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }
                backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
                continue;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                // Reset while waiting in the backlog: take the next one.
                continue;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.OperationAborted)
            {
                return null;
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            _reserve ??= OpenReserve();
            if (noDelay)
            {
                accepted.NoDelay = true;
            }
            return factory.Create(accepted);
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        listenSocket.Dispose();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        listenSocket.Dispose();
        _reserve?.Dispose();
        factory.Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool IsOutOfDescriptors(SocketError error) =>
        error is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable;

    /// <summary>Frees the reserve descriptor, accepts one waiting connection with it and closes that at once.</summary>
    private async Task RefuseOneWithReserveAsync(CancellationToken cancellationToken)
    {
        if (_reserve is null)
        {
            return;
        }
        _reserve.Dispose();
        _reserve = null;
        using var brief = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        brief.CancelAfter(FirstBackoff);
        try
        {
            using var refused = await listenSocket.AcceptAsync(brief.Token);
            refused.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            // Nothing was waiting, or the descriptor went to another thread first.
        }
        _reserve = OpenReserve();
    }

    private static SafeFileHandle? OpenReserve()
    {
        try
        {
            return File.OpenHandle("/dev/null", FileMode.Open, FileAccess.Read);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
