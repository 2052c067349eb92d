using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Isoproxy.FakeUpstream;

/// <summary>
/// An Anthropic responder that holds whole conversations with real clients. It picks each
/// Messages reply from the request itself, so unexpected extra requests (titles, quota checks)
/// still get a sensible answer:
/// <list type="bullet">
/// <item>the last user message carries a <c>tool_result</c> → a text turn quoting that result;</item>
/// <item><see cref="ReadFilePath"/> is set, the request offers a tool named <see cref="ReadToolName"/>
/// and the last user text mentions <see cref="ReadTrigger"/> → a tool_use turn reading that file;</item>
/// <item>the last user text contains <see cref="ToolMarker"/> and tools are offered → a tool_use of
/// the first tool, its input sent as several <c>input_json_delta</c> pieces;</item>
/// <item>the last user text contains <see cref="ThinkingMarker"/> → a thinking block (thinking and
/// signature deltas) followed by a text block;</item>
/// <item>anything else → a text turn with <see cref="AnthropicResponder.ReplyText"/>.</item>
/// </list>
/// Every reply is recorded in <see cref="Replies"/> as the complete message it amounts to, with
/// whether it was streamed and whether the stream was written to its end (message_stop).
/// </summary>
public sealed class ScriptedConversationResponder : AnthropicResponder
{
    public const string ToolMarker = "[tool]";
    public const string ThinkingMarker = "[thinking]";
    public const string ThinkingText = "Let me think about this step by step. The answer needs care.";
    public const string ThinkingSignature = "c2lnbmF0dXJlLW9mLXRoZS1mYWtlLXVwc3RyZWFt";
    public const string AnswerAfterThinking = "After thinking: forty-two.";

    private readonly ConcurrentDictionary<int, ScriptedReply> _replies = new();

    /// <summary>The file the tool_use turn asks the client's Read tool to open; null disables that turn.</summary>
    public string? ReadFilePath { get; set; }

    /// <summary>Text in the user's prompt that triggers the Read tool_use turn.</summary>
    public string ReadTrigger { get; set; } = "secret.txt";

    public string ReadToolName { get; set; } = "Read";

    /// <summary>Prefix of the text turn that quotes a tool result.</summary>
    public string ToolResultPrefix { get; set; } = "The tool returned: ";

    /// <summary>The input of the generic tool_use turn (<see cref="ToolMarker"/>).</summary>
    public JsonObject ToolInput { get; set; } = new() { ["city"] = "Lisbon", ["days"] = 3, ["units"] = "metric" };

    /// <summary>
    /// Pause before answering count_tokens, so a parallel burst is visibly parallel at the
    /// upstream (requests overlap in time) even on a busy machine.
    /// </summary>
    public TimeSpan CountTokensDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Replies by request index (<see cref="RecordedRequest.Index"/>).</summary>
    public IReadOnlyDictionary<int, ScriptedReply> Replies => _replies;

    protected override async Task RespondMessagesAsync(
        HttpContext context,
        RecordedRequest request,
        JsonObject body,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        var model = ReadModel(body);
        var (blocks, stopReason) = ChooseReply(body);
        var outputTokens = 0;
        foreach (var block in blocks)
        {
            outputTokens += Math.Max(1, block.ToJsonString().Length / 4);
        }

        var message = AnthropicEvents.Message(
            AnthropicEvents.NewMessageId(), model, blocks, stopReason, EstimateTokens(request.Body), outputTokens);
        var streamed = IsStreaming(body);
        var reply = new ScriptedReply(request.Index, message, streamed);
        _replies[request.Index] = reply;
        if (streamed)
        {
            await WriteSseAsync(context, StreamEvents(message), DelayBetweenEvents, cancellationToken);
        }
        else
        {
            await WriteMessageAsync(context, message, cancellationToken);
        }

        reply.MarkWritten();
    }

    protected override async Task RespondCountTokensAsync(HttpContext context, RecordedRequest request, CancellationToken cancellationToken)
    {
        if (CountTokensDelay > TimeSpan.Zero)
        {
            await Task.Delay(CountTokensDelay, cancellationToken);
        }

        await base.RespondCountTokensAsync(context, request, cancellationToken);
    }

    /// <summary>The stream events of a complete message: one start/deltas/stop group per block.</summary>
    public static IReadOnlyList<(string EventName, object Data)> StreamEvents(JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var id = (string)message["id"]!;
        var model = (string)message["model"]!;
        var usage = message["usage"]!.AsObject();
        var events = new List<(string EventName, object Data)>
        {
            AnthropicEvents.MessageStart(id, model, (int)usage["input_tokens"]!),
            AnthropicEvents.Ping(),
        };
        var index = 0;
        foreach (var block in message["content"]!.AsArray())
        {
            var type = (string)block!["type"]!;
            switch (type)
            {
                case "text":
                    events.Add(AnthropicEvents.ContentBlockStart(index, AnthropicEvents.TextBlock(string.Empty)));
                    foreach (var piece in AnthropicEvents.SplitForDeltas((string)block["text"]!))
                    {
                        events.Add(AnthropicEvents.TextDelta(index, piece));
                    }

                    break;
                case "tool_use":
                    events.Add(AnthropicEvents.ContentBlockStart(index, new JsonObject
                    {
                        ["type"] = "tool_use",
                        ["id"] = block["id"]!.DeepClone(),
                        ["name"] = block["name"]!.DeepClone(),
                        ["input"] = new JsonObject(),
                    }));
                    foreach (var piece in SplitInThree(block["input"]!.ToJsonString()))
                    {
                        events.Add(AnthropicEvents.ContentBlockDelta(index, new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = piece }));
                    }

                    break;
                case "thinking":
                    events.Add(AnthropicEvents.ContentBlockStart(index, new JsonObject
                    {
                        ["type"] = "thinking",
                        ["thinking"] = string.Empty,
                        ["signature"] = string.Empty,
                    }));
                    foreach (var piece in AnthropicEvents.SplitForDeltas((string)block["thinking"]!))
                    {
                        events.Add(AnthropicEvents.ContentBlockDelta(index, new JsonObject { ["type"] = "thinking_delta", ["thinking"] = piece }));
                    }

                    events.Add(AnthropicEvents.ContentBlockDelta(index, new JsonObject { ["type"] = "signature_delta", ["signature"] = block["signature"]!.DeepClone() }));
                    break;
                default:
                    throw new InvalidOperationException($"No stream form for block type {type}.");
            }

            events.Add(AnthropicEvents.ContentBlockStop(index));
            index++;
        }

        events.Add(AnthropicEvents.MessageDelta((string)message["stop_reason"]!, (int)usage["output_tokens"]!));
        events.Add(AnthropicEvents.MessageStop());
        return events;
    }

    private (List<JsonNode> Blocks, string StopReason) ChooseReply(JsonObject body)
    {
        var lastUser = LastUserMessage(body);
        var toolResult = lastUser is null ? null : ToolResultText(lastUser);
        if (toolResult is not null)
        {
            return ([AnthropicEvents.TextBlock(ToolResultPrefix + toolResult)], "end_turn");
        }

        var userText = lastUser is null ? string.Empty : UserText(lastUser);
        var toolNames = ToolNames(body);
        if (ReadFilePath is not null && toolNames.Contains(ReadToolName) && userText.Contains(ReadTrigger, StringComparison.Ordinal))
        {
            return ([ToolUseBlock(ReadToolName, new JsonObject { ["file_path"] = ReadFilePath })], "tool_use");
        }

        if (toolNames.Count > 0 && userText.Contains(ToolMarker, StringComparison.Ordinal))
        {
            return ([ToolUseBlock(toolNames[0], (JsonObject)ToolInput.DeepClone())], "tool_use");
        }

        if (userText.Contains(ThinkingMarker, StringComparison.Ordinal))
        {
            var thinking = new JsonObject
            {
                ["type"] = "thinking",
                ["thinking"] = ThinkingText,
                ["signature"] = ThinkingSignature,
            };
            return ([thinking, AnthropicEvents.TextBlock(AnswerAfterThinking)], "end_turn");
        }

        return ([AnthropicEvents.TextBlock(ReplyText)], "end_turn");
    }

    private static JsonObject ToolUseBlock(string name, JsonObject input) => new()
    {
        ["type"] = "tool_use",
        ["id"] = "toolu_fake_" + Guid.NewGuid().ToString("N")[..20],
        ["name"] = name,
        ["input"] = input,
    };

    private static JsonObject? LastUserMessage(JsonObject body)
    {
        if (body["messages"] is not JsonArray messages)
        {
            return null;
        }

        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i] is JsonObject message && message["role"] is JsonValue role && role.TryGetValue<string>(out var name) && name == "user")
            {
                return message;
            }
        }

        return null;
    }

    private static string UserText(JsonObject message)
    {
        var content = message["content"];
        if (content is JsonValue value && value.TryGetValue<string>(out var text))
        {
            return text;
        }

        var all = new StringBuilder();
        if (content is JsonArray blocks)
        {
            foreach (var block in blocks)
            {
                if (block is JsonObject obj && obj["text"] is JsonValue blockText && blockText.TryGetValue<string>(out var piece))
                {
                    all.Append(piece).Append('\n');
                }
            }
        }

        return all.ToString();
    }

    private static string? ToolResultText(JsonObject message)
    {
        if (message["content"] is not JsonArray blocks)
        {
            return null;
        }

        foreach (var block in blocks)
        {
            if (block is JsonObject obj && obj["type"] is JsonValue type && type.TryGetValue<string>(out var name) && name == "tool_result")
            {
                return obj["content"] switch
                {
                    JsonValue value when value.TryGetValue<string>(out var text) => text,
                    JsonArray parts => UserText(new JsonObject { ["content"] = parts.DeepClone() }),
                    _ => string.Empty,
                };
            }
        }

        return null;
    }

    private static List<string> ToolNames(JsonObject body)
    {
        var names = new List<string>();
        if (body["tools"] is JsonArray tools)
        {
            foreach (var tool in tools)
            {
                if (tool is JsonObject obj && obj["name"] is JsonValue value && value.TryGetValue<string>(out var name))
                {
                    names.Add(name);
                }
            }
        }

        return names;
    }

    private static IEnumerable<string> SplitInThree(string json)
    {
        var third = Math.Max(1, json.Length / 3);
        for (var start = 0; start < json.Length; start += third)
        {
            yield return json.Substring(start, Math.Min(third, json.Length - start));
        }
    }
}

/// <summary>One reply of <see cref="ScriptedConversationResponder"/>.</summary>
public sealed class ScriptedReply(int requestIndex, JsonObject message, bool streamed)
{
    private int _written;

    public int RequestIndex { get; } = requestIndex;

    /// <summary>The complete message the reply amounts to (what a client should assemble from a stream).</summary>
    public JsonObject Message { get; } = message;

    public bool Streamed { get; } = streamed;

    /// <summary>True once the whole reply was written: for a stream, up to and including message_stop.</summary>
    public bool Written => Volatile.Read(ref _written) != 0;

    internal void MarkWritten() => Volatile.Write(ref _written, 1);
}
