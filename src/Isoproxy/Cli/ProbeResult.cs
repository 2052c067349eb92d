namespace Isoproxy.Cli;

/// <summary>One provider's probe: ok, and the words printed after its name.</summary>
public sealed record ProbeResult(bool Ok, string Text);
