using Isoproxy.Configuration;

namespace Isoproxy.Errors;

/// <summary>How an <see cref="Outcome"/> is answered and logged.</summary>
/// <param name="Reason">The request log's <c>outcome</c>; for the proxy's own answers also <c>x-isoproxy-error</c>.</param>
/// <param name="Status">HTTP status of the proxy's own answer; null when the proxy writes nothing of its own (relayed, or client gone).</param>
/// <param name="ErrorType">Anthropic error type (<c>error.type</c>), for both the JSON answer and a mid-stream SSE error event.</param>
/// <param name="RetryCannotHelp">When true the answer carries <c>x-should-retry: false</c>.</param>
/// <param name="RetryAfterSeconds">When set, the answer carries <c>retry-after</c>.</param>
/// <param name="Message">The message, from the limits in force (a refusal may give a more specific one).</param>
public sealed record OutcomeRow(
    string Reason,
    int? Status,
    string ErrorType,
    bool RetryCannotHelp,
    int? RetryAfterSeconds,
    Func<LimitsConfig, string> Message);
