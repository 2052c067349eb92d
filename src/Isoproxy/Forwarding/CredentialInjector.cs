using System.Net.Http.Headers;
using Isoproxy.Configuration;

namespace Isoproxy.Forwarding;

/// <summary>
/// The one place a provider key is revealed: it goes onto the outbound request, in the form the
/// provider's <c>auth</c> setting names, and nowhere else.
/// </summary>
public static class CredentialInjector
{
    public static void Inject(HttpRequestMessage upstreamRequest, ProviderConfig provider)
    {
        // Client credentials were never copied (HeaderPolicy); clear both forms regardless, so
        // exactly one credential — the provider's — can leave the proxy.
        upstreamRequest.Headers.Remove("x-api-key");
        upstreamRequest.Headers.Authorization = null;

        switch (provider.Auth)
        {
            case UpstreamAuth.XApiKey:
                upstreamRequest.Headers.TryAddWithoutValidation("x-api-key", provider.Key.Reveal());
                break;
            case UpstreamAuth.Bearer:
                upstreamRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", provider.Key.Reveal());
                break;
            default:
                throw new System.Diagnostics.UnreachableException($"unknown auth {provider.Auth}");
        }
    }
}
