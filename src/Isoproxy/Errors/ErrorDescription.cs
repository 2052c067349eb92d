namespace Isoproxy.Errors;

/// <summary>How a <see cref="ProxyFailure"/> is answered.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Type">Anthropic error type (<c>error.type</c>).</param>
/// <param name="Reason">Value of <c>x-isoproxy-error</c> and the log line's outcome.</param>
/// <param name="RetryCannotHelp">When true the answer carries <c>x-should-retry: false</c>.</param>
/// <param name="RetryAfterSeconds">When set, the answer carries <c>retry-after</c>.</param>
public sealed record ErrorDescription(int Status, string Type, string Reason, bool RetryCannotHelp, int? RetryAfterSeconds = null);
