namespace Isoproxy.Forwarding;

/// <summary>A non-streaming response crossed a bound after it started: the client connection must be aborted.</summary>
public sealed class ResponseBoundExceededException(RelayOutcome outcome, string message) : IOException(message)
{
    public RelayOutcome Outcome { get; } = outcome;
}
