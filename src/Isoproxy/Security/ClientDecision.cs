using Isoproxy.Errors;

namespace Isoproxy.Security;

/// <summary>The client authenticator's verdict.</summary>
/// <param name="Failure">Null when the request may go on; otherwise how it is refused.</param>
/// <param name="Reason">Why, for the error message; never contains a token.</param>
/// <param name="ClientName">The authenticated client's name (also on a provider refusal), logged in place of the token.</param>
public sealed record ClientDecision(Outcome? Failure, string Reason, string? ClientName);
