using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Isoproxy.Hosting;

/// <summary>
/// Kestrel's listener transport for TCP and Unix sockets, with an accept loop that survives
/// running out of file descriptors (see <see cref="GuardedConnectionListener"/>). Connections are
/// built by the socket transport's own <see cref="SocketConnectionContextFactory"/>.
/// </summary>
public sealed class GuardedListenerFactory(IOptions<SocketTransportOptions> transportOptions, ILoggerFactory loggerFactory, RefusalReporter reporter)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    /// <summary>Pending connections the kernel queues while the proxy is busy (Kestrel's own default).</summary>
    private const int Backlog = 512;

    public bool CanBind(EndPoint endpoint) => endpoint is IPEndPoint or UnixDomainSocketEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        Socket socket;
        try
        {
            socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // What Kestrel's own transport throws: the server reports it as "address already in use".
            throw new AddressInUseException(ex.Message, ex);
        }
        try
        {
            socket.Listen(Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var options = transportOptions.Value;
        var factory = new SocketConnectionContextFactory(
            new SocketConnectionFactoryOptions
            {
                IOQueueCount = options.IOQueueCount,
                // Read straight into a buffer instead of a zero-byte read first: two fewer system
                // calls per forwarded request, for one 4 KB block held by each open connection
                // (at most max_connections of them).
                WaitForDataBeforeAllocatingBuffer = false,
                MaxReadBufferSize = options.MaxReadBufferSize,
                MaxWriteBufferSize = options.MaxWriteBufferSize,
                UnsafePreferInlineScheduling = options.UnsafePreferInlineScheduling,
            },
            loggerFactory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets"));
        return ValueTask.FromResult<IConnectionListener>(new GuardedConnectionListener(socket, factory, noDelay: endpoint is IPEndPoint && options.NoDelay, reporter));
    }
}
