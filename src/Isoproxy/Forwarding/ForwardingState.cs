using Isoproxy.Configuration;
using Isoproxy.Errors;

namespace Isoproxy.Forwarding;

/// <summary>
/// What one forwarded request has learned so far: filled in by the transformer and the relay,
/// read by the request handler to answer failures and write the log line.
/// </summary>
public sealed class ForwardingState(ProviderConfig provider, string apiPath, string query)
{
    public ProviderConfig Provider { get; } = provider;
    public string ApiPath { get; } = apiPath;
    public string Query { get; } = query;

    /// <summary>Set when the proxy refused the upstream's response before relaying anything.</summary>
    public ProxyFailure? Refusal { get; set; }

    /// <summary>The upstream's status, once its headers arrived.</summary>
    public int? UpstreamStatus { get; set; }

    /// <summary>The upstream's <c>request-id</c> header, once its headers arrived.</summary>
    public string? UpstreamRequestId { get; set; }

    /// <summary>Milliseconds from accepting the request to the upstream's response headers.</summary>
    public long? TimeToHeadersMs { get; set; }

    public RelayOutcome RelayOutcome { get; set; }

    public ResponseRelayStream? Relay { get; set; }

    /// <summary>Body bytes read from the client.</summary>
    public long RequestBytes { get; set; }
}
