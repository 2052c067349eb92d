namespace Isoproxy.Forwarding;

/// <summary>The upstream URL: the configured endpoint, then the allowlisted API path, then the client's query verbatim.</summary>
public static class UpstreamUrl
{
    /// <summary>Parse the URL as written: no unescaping or re-escaping of the client's query.</summary>
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public static Uri Build(Uri endpoint, string apiPath, string query)
    {
        // GetLeftPart drops nothing the configuration allows (no user info, query or fragment).
        var basePath = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return new Uri(basePath + apiPath + query, in Verbatim);
    }
}
