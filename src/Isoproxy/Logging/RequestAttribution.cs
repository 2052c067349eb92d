using Microsoft.AspNetCore.Http;

namespace Isoproxy.Logging;

/// <summary>
/// Who sent a request, from headers the client sets for that purpose, each kept only in its
/// strict shape (<see cref="AttributionShape"/>): enough to group one agent session's requests.
/// </summary>
/// <param name="SessionId">Claude Code's <c>x-claude-code-session-id</c>.</param>
/// <param name="AgentId">Claude Code's <c>x-claude-code-agent-id</c> (sub-agents).</param>
/// <param name="ParentAgentId">Claude Code's <c>x-claude-code-parent-agent-id</c> (sub-agents).</param>
/// <param name="TraceId">The trace id of a well-formed W3C <c>traceparent</c>.</param>
/// <param name="UserAgent"><c>User-Agent</c>.</param>
public sealed record RequestAttribution(string? SessionId, string? AgentId, string? ParentAgentId, string? TraceId, string? UserAgent)
{
    public static RequestAttribution From(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return new RequestAttribution(
            AttributionShape.Id(headers["x-claude-code-session-id"]),
            AttributionShape.Id(headers["x-claude-code-agent-id"]),
            AttributionShape.Id(headers["x-claude-code-parent-agent-id"]),
            AttributionShape.TraceId(headers["traceparent"]),
            AttributionShape.UserAgent(headers.UserAgent));
    }
}
