using System.Net;
using System.Net.Sockets;

namespace Isoproxy.Hosting;

/// <summary>A listening socket systemd passed to the proxy (<c>LISTEN_FDS</c>), as the kernel describes it.</summary>
/// <param name="FileDescriptor">The descriptor number: 3, 4, … in the order of the socket unit's Listen lines.</param>
/// <param name="LocalEndPoint">Its address: an <see cref="IPEndPoint"/> or a <see cref="UnixDomainSocketEndPoint"/>.</param>
public sealed record PassedSocket(int FileDescriptor, EndPoint LocalEndPoint)
{
    public bool IsUnix => LocalEndPoint is UnixDomainSocketEndPoint;

    /// <summary>How the start-up banner names it, e.g. <c>http://127.0.0.1:9000</c> or <c>unix:/run/isoproxy/isoproxy.sock</c>.</summary>
    public string Display => LocalEndPoint switch
    {
        IPEndPoint ip => $"http://{ip}",
        _ => $"unix:{LocalEndPoint}",
    };
}
