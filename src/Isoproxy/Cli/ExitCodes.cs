namespace Isoproxy.Cli;

/// <summary>The command's exit codes; scripts rely on them.</summary>
public static class ExitCodes
{
    /// <summary>Served and stopped cleanly, or the configuration is valid.</summary>
    public const int Success = 0;

    /// <summary>The configuration is invalid (every problem is listed on stderr).</summary>
    public const int InvalidConfiguration = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The configuration is valid but the proxy could not start (e.g. the port is taken).</summary>
    public const int StartFailed = 3;

    /// <summary><c>isoproxy probe</c>: at least one probed provider is not reachable with its key.</summary>
    public const int ProbeFailed = 4;
}
