using System.Globalization;
using System.Text;
using Isoproxy.Configuration;
using Isoproxy.Errors;
using Isoproxy.Security;
using Microsoft.AspNetCore.Connections;

namespace Isoproxy.Hosting;

/// <summary>
/// Kestrel connection middleware, run once per accepted connection before any byte is read:
/// refuses connections over <c>max_connections</c> and Unix-socket peers that are not allowed,
/// and arms the <see cref="FirstRequestDeadline"/>. Nothing here ever waits for the client.
/// </summary>
public sealed class ConnectionAdmission(ProxyConfig config, ConnectionGate gate, RefusalReporter reporter)
{
    /// <summary>How long a refused peer's unread request is drained after the 403, so the close does not reset the answer away.</summary>
    private static readonly TimeSpan RefusalLinger = TimeSpan.FromSeconds(1);

    public ConnectionDelegate Admit(ConnectionDelegate next) => async connection =>
    {
        if (!gate.TryOpen())
        {
            reporter.Report(ConnectionRefusal.OverMaxConnections);
            connection.Abort(new ConnectionAbortedException("over max_connections"));
            return;
        }
        try
        {
            if (connection.Features.Get<PeerCredentials>() is { } peer && PeerPolicy.IsConfigured(config.Listen)
                && PeerPolicy.Refusal(peer, config.Listen) is string refusal)
            {
                reporter.Report(ConnectionRefusal.PeerNotAllowed, refusal);
                await RefusePeerAsync(connection, "isoproxy: " + refusal);
                return;
            }
            using var deadline = FirstRequestDeadline.Arm(connection, config.Limits.ClientHeaderTimeout,
                () => reporter.Report(ConnectionRefusal.NoRequestInTime));
            await next(connection);
        }
        finally
        {
            gate.Close();
        }
    };

    /// <summary>The 403 at once, before the peer sends anything; then the connection is closed.</summary>
    private static async Task RefusePeerAsync(ConnectionContext connection, string message)
    {
        var description = OutcomeCatalog.Describe(Outcome.PeerNotAllowed);
        var body = ErrorResponseWriter.Envelope(description.ErrorType, message);
        var head = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {description.Status} Forbidden\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n{OutcomeCatalog.ReasonHeader}: {description.Reason}\r\nx-should-retry: false\r\nConnection: close\r\n\r\n");
        using var linger = new CancellationTokenSource(RefusalLinger);
        try
        {
            await connection.Transport.Output.WriteAsync(Encoding.ASCII.GetBytes(head), linger.Token);
            await connection.Transport.Output.WriteAsync(body, linger.Token);
            // Read what the peer sends meanwhile, until it closes (the answer says Connection:
            // close) or for a bounded time: closing with unread data would reset the connection,
            // and the peer might lose the answer. The output stays open for the same reason.
            while (true)
            {
                var read = await connection.Transport.Input.ReadAsync(linger.Token);
                connection.Transport.Input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException or ConnectionAbortedException)
        {
            // The peer went away, or lingered too long: either way it is closed now.
        }
        connection.Abort(new ConnectionAbortedException("peer not allowed"));
    }
}
