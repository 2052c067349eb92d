using Isoproxy.Configuration;

namespace Isoproxy.Security;

/// <summary>Whether a Unix-socket peer may use the proxy under <c>listen.allowed_uids</c> / <c>allowed_gids</c>.</summary>
public static class PeerPolicy
{
    /// <summary>True when at least one list is set, i.e. Unix-socket peers are checked at all.</summary>
    public static bool IsConfigured(ListenConfig listen) => !listen.AllowedUids.IsEmpty || !listen.AllowedGids.IsEmpty;

    /// <summary>The reason the peer is refused, or null when it may connect.</summary>
    /// <remarks>
    /// A peer is allowed when its uid is in <c>allowed_uids</c> or its primary gid is in
    /// <c>allowed_gids</c>. SO_PEERCRED carries the primary group only, not supplementary groups.
    /// </remarks>
    public static string? Refusal(PeerCredentials peer, ListenConfig listen)
    {
        if (!peer.Known)
        {
            return "the peer's credentials could not be read";
        }
        if (listen.AllowedUids.Contains(peer.Uid) || listen.AllowedGids.Contains(peer.Gid))
        {
            return null;
        }
        return $"uid {peer.Uid} / gid {peer.Gid} is not in listen.allowed_uids or listen.allowed_gids";
    }
}
