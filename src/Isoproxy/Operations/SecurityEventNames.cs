namespace Isoproxy.Operations;

/// <summary>The <c>event</c> values of the security event stream; a stable contract for audit pipelines.</summary>
public static class SecurityEventNames
{
    public const string ConfigLoaded = "config_loaded";
    public const string ConfigReloaded = "config_reloaded";
    public const string ConfigReloadFailed = "config_reload_failed";
    public const string ClientRefused = "client_refused";
    public const string PeerRefused = "peer_refused";
    public const string UpstreamAddressRefused = "upstream_address_refused";
    public const string ConnectionLimit = "connection_limit";
    public const string ShutdownStarted = "shutdown_started";
    public const string ShutdownFinished = "shutdown_finished";
}
