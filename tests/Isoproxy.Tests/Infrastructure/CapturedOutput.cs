using Isoproxy.Hosting;

namespace Isoproxy.Tests.Infrastructure;

/// <summary>Thread-safe in-memory stdout and stderr for an in-process proxy or command.</summary>
public sealed class CapturedOutput
{
    private readonly StringWriter _requestLog = new();
    private readonly StringWriter _diagnostics = new();
    private readonly TextWriter _requestLogSync;
    private readonly TextWriter _diagnosticsSync;

    public CapturedOutput()
    {
        _requestLogSync = TextWriter.Synchronized(_requestLog);
        _diagnosticsSync = TextWriter.Synchronized(_diagnostics);
        Options = new ProxyServerOptions(_requestLogSync, _diagnosticsSync);
    }

    public ProxyServerOptions Options { get; }

    // A synchronized writer locks on itself; reading under that lock sees whole writes.
    public string RequestLogText
    {
        get
        {
            lock (_requestLogSync)
            {
                return _requestLog.ToString();
            }
        }
    }

    public string DiagnosticsText
    {
        get
        {
            lock (_diagnosticsSync)
            {
                return _diagnostics.ToString();
            }
        }
    }
}
