namespace Isoproxy.Tests.RealClients;

/// <summary>
/// One request as a client sent it (before the proxy): recorded on the wire by
/// <see cref="RecordingRelay"/>, or by the client's own HTTP hook (SDK drivers).
/// </summary>
/// <param name="Target">The request target: path and query, e.g. <c>/v1/messages?beta=true</c>.</param>
public sealed record ClientRequest(
    string Method,
    string Target,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string BodySha256,
    long BodyLength)
{
    public string? GetHeader(string name)
    {
        var values = Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return values.Count == 0 ? null : string.Join(", ", values);
    }

    public string Path => Target.Split('?')[0];

    public override string ToString() => $"{Method} {Target} ({BodyLength} bytes, sha256 {BodySha256[..12]}…)";
}
