namespace Isoproxy.Logging;

/// <summary>Field names of the request log line; a stable contract for log pipelines.</summary>
public static class RequestLogFields
{
    public const string Time = "time";
    public const string RequestId = "request_id";
    public const string Client = "client";
    public const string Provider = "provider";
    public const string Method = "method";
    public const string Path = "path";
    public const string Status = "status";
    public const string RequestBytes = "request_bytes";
    public const string ResponseBytes = "response_bytes";
    public const string TimeToFirstByteMs = "ttfb_ms";
    public const string DurationMs = "duration_ms";
    public const string UpstreamRequestId = "upstream_request_id";
    public const string Outcome = "outcome";
    public const string SessionId = "session_id";
    public const string AgentId = "agent_id";
    public const string ParentAgentId = "parent_agent_id";
    public const string TraceId = "trace_id";
    public const string UserAgent = "user_agent";
    public const string RequestHeaders = "request_headers";
    public const string ResponseHeaders = "response_headers";
}
