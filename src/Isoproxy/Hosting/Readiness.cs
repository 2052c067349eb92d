namespace Isoproxy.Hosting;

/// <summary>What <c>/readyz</c> says.</summary>
public enum Readiness
{
    /// <summary>Not every listener serves yet: 503.</summary>
    Starting,

    /// <summary>Configuration loaded and every listener serves: 200.</summary>
    Ready,

    /// <summary>Shutting down, in-flight requests finishing: 503, so a load balancer stops sending.</summary>
    Draining,
}
