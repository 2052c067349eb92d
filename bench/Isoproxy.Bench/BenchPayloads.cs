using System.Globalization;
using System.Text;

namespace Isoproxy.Bench;

/// <summary>The bodies both sides of the benchmark send: Anthropic-shaped, of fixed sizes.</summary>
public static class BenchPayloads
{
    /// <summary>Names the upstream's behaviour for one request; both proxies pass it through.</summary>
    public const string ScenarioHeader = "x-bench-scenario";

    /// <summary>How many text deltas a stream carries.</summary>
    public const string EventsHeader = "x-bench-events";

    /// <summary>Milliseconds between two text deltas.</summary>
    public const string IntervalHeader = "x-bench-interval-ms";

    /// <summary>The field of a text delta holding the upstream's monotonic clock at emission.</summary>
    public const string EmitField = "\"emit_ns\":";

    private static readonly string ReplyText = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 18));

    /// <summary>A ~10 KB request body whose content is <paramref name="text"/> padded to size.</summary>
    public static string RequestJson(string text) =>
        "{\"model\":\"claude-bench\",\"max_tokens\":1024,\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";

    /// <summary>A ~1 KB non-streaming reply whose id carries the SHA-256 of the request body.</summary>
    public static byte[] ReplyJson(string bodySha256) => Encoding.UTF8.GetBytes(
        "{\"id\":\"msg_" + bodySha256 + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-bench\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"" + ReplyText + "\"}],\"stop_reason\":\"end_turn\","
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":2500,\"output_tokens\":200}}");

    public static byte[] Overloaded { get; } = Encoding.UTF8.GetBytes(
        "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");

    public static byte[] Models { get; } = Encoding.UTF8.GetBytes(
        "{\"data\":[{\"type\":\"model\",\"id\":\"claude-bench\",\"display_name\":\"Bench\",\"created_at\":\"2025-01-01T00:00:00Z\"}],"
        + "\"has_more\":false,\"first_id\":\"claude-bench\",\"last_id\":\"claude-bench\"}");

    public static byte[] Model(string id) => Encoding.UTF8.GetBytes(
        "{\"type\":\"model\",\"id\":\"" + id + "\",\"display_name\":\"Bench\",\"created_at\":\"2025-01-01T00:00:00Z\"}");

    public static byte[] CountTokens(long bodyBytes) => Encoding.UTF8.GetBytes(
        "{\"input_tokens\":" + bodyBytes.ToString(CultureInfo.InvariantCulture) + "}");

    public static byte[] MessageStart(string bodySha256) => Event("message_start",
        "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_" + bodySha256 + "\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"claude-bench\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":2500,\"output_tokens\":1}}}");

    public static byte[] BlockStart { get; } = Event("content_block_start",
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");

    public static byte[] Delta(long emitNanoseconds) => Event("content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"token \"},"
        + EmitField + emitNanoseconds.ToString(CultureInfo.InvariantCulture) + "}");

    public static byte[] StreamEnd { get; } =
    [
        .. Event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
        .. Event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":200}}"),
        .. Event("message_stop", "{\"type\":\"message_stop\"}"),
    ];

    private static byte[] Event(string name, string data) => Encoding.UTF8.GetBytes($"event: {name}\ndata: {data}\n\n");
}
