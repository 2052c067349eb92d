using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Isoproxy.FakeUpstream;

/// <summary>
/// Builders for Anthropic Messages API objects and stream events, shaped like the real API's
/// wire format so SDKs parse them. Events are (name, data) pairs; data may be a JsonNode, a
/// raw JSON string or any object System.Text.Json can serialise.
/// </summary>
public static class AnthropicEvents
{
    public const string DefaultModel = "claude-fake-1";

    public static string NewMessageId() => "msg_fake_" + RandomHex();

    public static string NewRequestId() => "req_fake_" + RandomHex();

    /// <summary>The usage object; cache fields are included because real replies always carry them.</summary>
    public static JsonObject Usage(int inputTokens, int outputTokens) => new()
    {
        ["input_tokens"] = inputTokens,
        ["cache_creation_input_tokens"] = 0,
        ["cache_read_input_tokens"] = 0,
        ["output_tokens"] = outputTokens,
    };

    public static JsonObject TextBlock(string text) => new()
    {
        ["type"] = "text",
        ["text"] = text,
    };

    /// <summary>A complete non-streaming <c>message</c> object.</summary>
    public static JsonObject Message(
        string id,
        string model,
        IEnumerable<JsonNode> contentBlocks,
        string stopReason,
        int inputTokens,
        int outputTokens)
    {
        var content = new JsonArray();
        foreach (var block in contentBlocks)
        {
            content.Add(block.DeepClone());
        }

        return new JsonObject
        {
            ["id"] = id,
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = content,
            ["stop_reason"] = stopReason,
            ["stop_sequence"] = null,
            ["usage"] = Usage(inputTokens, outputTokens),
        };
    }

    public static (string EventName, object Data) MessageStart(string id, string model, int inputTokens) =>
        ("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = id,
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = Usage(inputTokens, 1),
            },
        });

    /// <summary><paramref name="contentBlock"/> is the block's empty start form, e.g. a text block with "".</summary>
    public static (string EventName, object Data) ContentBlockStart(int index, JsonNode contentBlock) =>
        ("content_block_start", new JsonObject
        {
            ["type"] = "content_block_start",
            ["index"] = index,
            ["content_block"] = contentBlock.DeepClone(),
        });

    /// <summary>A delta of any kind (text_delta, input_json_delta, thinking_delta, …).</summary>
    public static (string EventName, object Data) ContentBlockDelta(int index, JsonNode delta) =>
        ("content_block_delta", new JsonObject
        {
            ["type"] = "content_block_delta",
            ["index"] = index,
            ["delta"] = delta.DeepClone(),
        });

    public static (string EventName, object Data) TextDelta(int index, string text) =>
        ContentBlockDelta(index, new JsonObject { ["type"] = "text_delta", ["text"] = text });

    public static (string EventName, object Data) ContentBlockStop(int index) =>
        ("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index });

    public static (string EventName, object Data) MessageDelta(string stopReason, int outputTokens) =>
        ("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = outputTokens },
        });

    public static (string EventName, object Data) MessageStop() =>
        ("message_stop", new JsonObject { ["type"] = "message_stop" });

    public static (string EventName, object Data) Ping() =>
        ("ping", new JsonObject { ["type"] = "ping" });

    /// <summary>Anthropic's error envelope: {"type":"error","error":{"type":…,"message":…}}.</summary>
    public static JsonObject ErrorEnvelope(string errorType, string message) => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = errorType, ["message"] = message },
    };

    /// <summary>The full event sequence of a streamed single-text-block reply, deltas split by word.</summary>
    public static IReadOnlyList<(string EventName, object Data)> TextStreamEvents(string id, string model, string text, int inputTokens)
    {
        var pieces = SplitForDeltas(text);
        var events = new List<(string EventName, object Data)>
        {
            MessageStart(id, model, inputTokens),
            ContentBlockStart(0, TextBlock(string.Empty)),
            Ping(),
        };
        foreach (var piece in pieces)
        {
            events.Add(TextDelta(0, piece));
        }

        events.Add(ContentBlockStop(0));
        events.Add(MessageDelta("end_turn", Math.Max(1, pieces.Count)));
        events.Add(MessageStop());
        return events;
    }

    /// <summary>Serialises an event's data to its JSON text.</summary>
    public static string DataToJson(object data) => data switch
    {
        string raw => raw,
        JsonNode node => node.ToJsonString(),
        _ => JsonSerializer.Serialize(data, data.GetType()),
    };

    public static SseChunk ToChunk((string EventName, object Data) sseEvent) =>
        SseChunk.Event(sseEvent.EventName, DataToJson(sseEvent.Data));

    public static SseChunk ToChunk((string EventName, object Data) sseEvent, TimeSpan delayBefore) =>
        SseChunk.Event(sseEvent.EventName, DataToJson(sseEvent.Data), delayBefore);

    /// <summary>Splits text into word-sized pieces (spaces kept) so a stream has several deltas.</summary>
    public static IReadOnlyList<string> SplitForDeltas(string text)
    {
        var pieces = new List<string>();
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                pieces.Add(text[start..i]);
                start = i;
            }
        }

        if (pieces.Count == 0)
        {
            pieces.Add(string.Empty);
        }

        return pieces;
    }

    private static string RandomHex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
