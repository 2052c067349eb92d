using System.Net;
using System.Net.Sockets;
using Isoproxy.Addresses;
using Isoproxy.Configuration;

namespace Isoproxy.Security;

/// <summary>
/// The upstream connection's <see cref="SocketsHttpHandler.ConnectCallback"/>: finds the
/// addresses of the configured host, checks each with <see cref="AddressPolicy"/>, and dials only
/// an address that passed, by address, so no second name resolution can swap it.
/// </summary>
/// <remarks>
/// The host always comes from the configured endpoint (the request URI is built from it alone).
/// TLS is layered on the returned stream by the handler and still verifies that host name.
/// <see cref="SocketsHttpHandler.ConnectTimeout"/> cancels <c>cancellationToken</c>, which
/// bounds the DNS lookup and every connect attempt.
/// </remarks>
public sealed class UpstreamConnector(ProviderConfig provider)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.DnsEndPoint.Host;
        var port = context.DnsEndPoint.Port;

        var (candidates, chosenByOperator) = await CandidatesAsync(host, cancellationToken);
        var allowed = new List<IPAddress>();
        var refusals = new List<string>();
        foreach (var address in candidates)
        {
            if (AddressPolicy.Refusal(address, chosenByOperator, provider.UnsafeAllowPrivateAddresses) is string refusal)
            {
                refusals.Add(refusal);
            }
            else
            {
                allowed.Add(address);
            }
        }
        if (allowed.Count == 0)
        {
            throw new UpstreamAddressRefusedException(
                $"provider {provider.Name}: no address of {host} may be dialled: {string.Join("; ", refusals)}");
        }

        SocketException? lastError = null;
        foreach (var address in allowed)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        // Every allowed address failed; the last failure, kept whole as the inner exception, says why.
        throw new IOException($"could not connect to any allowed address of {host}", lastError);
    }

    /// <summary>The addresses to try, and whether the operator named them explicitly.</summary>
    private async Task<(IReadOnlyList<IPAddress> Addresses, bool ChosenByOperator)> CandidatesAsync(string host, CancellationToken cancellationToken)
    {
        if (!provider.Resolve.IsEmpty)
        {
            // Pinned: no DNS at all.
            return (provider.Resolve, true);
        }
        if (UpstreamHost.AsIPAddress(host) is IPAddress literal)
        {
            return ([literal], true);
        }
        try
        {
            return (await Dns.GetHostAddressesAsync(host, cancellationToken), false);
        }
        catch (SocketException ex)
        {
            // Told apart from a refused connection, so the client learns which of the two failed.
            throw new UpstreamDnsFailedException(host, ex);
        }
    }
}
