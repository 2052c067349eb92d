namespace Isoproxy.Hosting;

/// <summary>Why a client connection was closed without being served.</summary>
public enum ConnectionRefusal
{
    /// <summary>More than <c>limits.max_connections</c> connections were open.</summary>
    OverMaxConnections,

    /// <summary>A Unix-socket peer that <c>allowed_uids</c>/<c>allowed_gids</c> refuses.</summary>
    PeerNotAllowed,

    /// <summary>No complete request line and headers within <c>client_header_timeout_seconds</c> of accept.</summary>
    NoRequestInTime,

    /// <summary>The process had no file descriptor left to accept it with.</summary>
    OutOfDescriptors,
}
