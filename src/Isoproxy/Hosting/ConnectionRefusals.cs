namespace Isoproxy.Hosting;

/// <summary>The <c>reason</c> label of <c>isoproxy_connections_refused_total</c>: a closed set, one word per <see cref="ConnectionRefusal"/>.</summary>
public static class ConnectionRefusals
{
    public static string Label(ConnectionRefusal reason) => reason switch
    {
        ConnectionRefusal.OverMaxConnections => "max_connections",
        ConnectionRefusal.PeerNotAllowed => "peer_not_allowed",
        ConnectionRefusal.NoRequestInTime => "header_timeout",
        ConnectionRefusal.OutOfDescriptors => "out_of_descriptors",
        _ => throw new System.Diagnostics.UnreachableException($"unlabelled refusal {reason}"),
    };

    /// <summary>Refusals since start, by label, every reason present (zero included).</summary>
    public static IEnumerable<KeyValuePair<string, long>> Counts(ConnectionGate gate) =>
        Enum.GetValues<ConnectionRefusal>().Select(reason => KeyValuePair.Create(Label(reason), gate.Refused(reason)));
}
