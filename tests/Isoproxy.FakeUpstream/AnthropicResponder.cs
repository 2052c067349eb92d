using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Isoproxy.FakeUpstream;

/// <summary>
/// A minimal Anthropic Messages API, enough for real SDKs and Claude Code to hold a conversation
/// through the proxy. Override the Respond* methods (or use the static writers) to add turns
/// such as tool use or thinking.
/// </summary>
public class AnthropicResponder : IFakeResponder
{
    /// <summary>Text of every assistant reply.</summary>
    public string ReplyText { get; set; } = "Hello from the fake upstream.";

    /// <summary>Pause before each streamed event, to make streams observable in time.</summary>
    public TimeSpan DelayBetweenEvents { get; set; } = TimeSpan.Zero;

    /// <summary>Model ids listed by GET /v1/models; the first one is "Fake".</summary>
    public IReadOnlyList<string> ModelIds { get; set; } = [AnthropicEvents.DefaultModel];

    public virtual async Task RespondAsync(HttpContext context, RecordedRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path;
        var method = request.Method;
        if (HttpMethods.IsPost(method) && path.EndsWith("/v1/messages/count_tokens", StringComparison.Ordinal))
        {
            await RespondCountTokensAsync(context, request, cancellationToken);
        }
        else if (HttpMethods.IsPost(method) && path.EndsWith("/v1/messages", StringComparison.Ordinal))
        {
            var body = ParseObject(request.Body);
            if (body is null)
            {
                await WriteErrorAsync(context, 400, "invalid_request_error", "The request body is not a JSON object.", cancellationToken);
                return;
            }

            await RespondMessagesAsync(context, request, body, cancellationToken);
        }
        else if (HttpMethods.IsGet(method) && path.EndsWith("/v1/models", StringComparison.Ordinal))
        {
            await RespondModelListAsync(context, cancellationToken);
        }
        else if (HttpMethods.IsGet(method) && path.Contains("/v1/models/", StringComparison.Ordinal))
        {
            var id = Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]);
            if (ModelIds.Contains(id))
            {
                await WriteJsonAsync(context, 200, ModelObject(id), cancellationToken);
            }
            else
            {
                await WriteErrorAsync(context, 404, "not_found_error", $"model: {id}", cancellationToken);
            }
        }
        else
        {
            await WriteErrorAsync(context, 404, "not_found_error", $"Not found: {method} {path}", cancellationToken);
        }
    }

    /// <summary>POST …/v1/messages: a text reply, streamed when the request says "stream": true.</summary>
    protected virtual async Task RespondMessagesAsync(
        HttpContext context,
        RecordedRequest request,
        JsonObject body,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        var model = ReadModel(body);
        var inputTokens = EstimateTokens(request.Body);
        var id = AnthropicEvents.NewMessageId();
        if (IsStreaming(body))
        {
            await WriteSseAsync(
                context,
                AnthropicEvents.TextStreamEvents(id, model, ReplyText, inputTokens),
                DelayBetweenEvents,
                cancellationToken);
        }
        else
        {
            var outputTokens = AnthropicEvents.SplitForDeltas(ReplyText).Count;
            await WriteMessageAsync(
                context,
                AnthropicEvents.Message(id, model, [AnthropicEvents.TextBlock(ReplyText)], "end_turn", inputTokens, outputTokens),
                cancellationToken);
        }
    }

    /// <summary>POST …/v1/messages/count_tokens: a deterministic count (body length / 4).</summary>
    protected virtual Task RespondCountTokensAsync(HttpContext context, RecordedRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WriteJsonAsync(context, 200, new JsonObject { ["input_tokens"] = EstimateTokens(request.Body) }, cancellationToken);
    }

    /// <summary>GET …/v1/models: one page holding every model.</summary>
    protected virtual Task RespondModelListAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var data = new JsonArray();
        foreach (var id in ModelIds)
        {
            data.Add(ModelObject(id));
        }

        var page = new JsonObject
        {
            ["data"] = data,
            ["has_more"] = false,
            ["first_id"] = ModelIds.Count > 0 ? ModelIds[0] : null,
            ["last_id"] = ModelIds.Count > 0 ? ModelIds[^1] : null,
        };
        return WriteJsonAsync(context, 200, page, cancellationToken);
    }

    /// <summary>A model object as the models endpoints return it.</summary>
    public static JsonObject ModelObject(string id) => new()
    {
        ["type"] = "model",
        ["id"] = id,
        ["display_name"] = id == AnthropicEvents.DefaultModel ? "Fake" : id,
        ["created_at"] = "2025-01-01T00:00:00Z",
    };

    /// <summary>The "model" field of a request, or the default model when absent.</summary>
    public static string ReadModel(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body["model"] is JsonValue value && value.TryGetValue<string>(out var model) ? model : AnthropicEvents.DefaultModel;
    }

    /// <summary>Whether the request asks for a stream ("stream": true).</summary>
    public static bool IsStreaming(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body["stream"] is JsonValue value && value.TryGetValue<bool>(out var stream) && stream;
    }

    /// <summary>A deterministic token estimate: a quarter of the body length, at least 1.</summary>
    public static int EstimateTokens(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Math.Max(1, body.Length / 4);
    }

    /// <summary>Parses a request body as a JSON object; null when it is not one.</summary>
    public static JsonObject? ParseObject(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes a 200 text/event-stream reply: one SSE event per pair, each flushed on its own so
    /// the client (through the proxy) can observe them separately.
    /// </summary>
    public static async Task WriteSseAsync(
        HttpContext context,
        IEnumerable<(string EventName, object Data)> events,
        TimeSpan delayBetween,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(events);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["request-id"] = AnthropicEvents.NewRequestId();
        await context.Response.StartAsync(cancellationToken);
        var first = true;
        foreach (var sseEvent in events)
        {
            if (!first && delayBetween > TimeSpan.Zero)
            {
                await Task.Delay(delayBetween, cancellationToken);
            }

            first = false;
            var chunk = AnthropicEvents.ToChunk(sseEvent);
            await context.Response.Body.WriteAsync(chunk.Data, cancellationToken);
            await context.Response.Body.FlushAsync(cancellationToken);
        }
    }

    /// <summary>Writes a non-streaming reply built from content blocks (text, tool_use, thinking, …).</summary>
    public static Task WriteMessageAsync(
        HttpContext context,
        string model,
        IEnumerable<JsonNode> contentBlocks,
        string stopReason,
        int inputTokens,
        int outputTokens,
        CancellationToken cancellationToken) =>
        WriteMessageAsync(
            context,
            AnthropicEvents.Message(AnthropicEvents.NewMessageId(), model, contentBlocks, stopReason, inputTokens, outputTokens),
            cancellationToken);

    /// <summary>Writes a ready-made message object as a 200 reply with a request-id.</summary>
    public static Task WriteMessageAsync(HttpContext context, JsonObject message, CancellationToken cancellationToken) =>
        WriteJsonAsync(context, 200, message, cancellationToken);

    /// <summary>Writes Anthropic's error envelope with the given status.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string errorType, string message, CancellationToken cancellationToken) =>
        WriteJsonAsync(context, status, AnthropicEvents.ErrorEnvelope(errorType, message), cancellationToken);

    /// <summary>Writes JSON with Content-Length and a request-id header, as the real API does.</summary>
    public static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers["request-id"] = AnthropicEvents.NewRequestId();
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, cancellationToken);
    }
}
