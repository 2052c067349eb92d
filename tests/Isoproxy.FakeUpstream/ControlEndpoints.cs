using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Isoproxy.FakeUpstream;

/// <summary>
/// The /_fake/ endpoints of standalone mode, so scripts in other languages can drive the fake:
/// enqueue scripted responses, read recordings, reset.
/// </summary>
internal static class ControlEndpoints
{
    public static async Task HandleAsync(FakeUpstreamServer server, HttpContext context, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, context.RequestAborted);
        var path = context.Request.Path.Value ?? string.Empty;
        var method = context.Request.Method;
        if (HttpMethods.IsPost(method) && path == "/_fake/enqueue")
        {
            await EnqueueAsync(server, context, linked.Token);
        }
        else if (HttpMethods.IsGet(method) && path == "/_fake/requests")
        {
            await WriteAsync(context, 200, RequestsJson(server), linked.Token);
        }
        else if (HttpMethods.IsPost(method) && path == "/_fake/reset")
        {
            server.Reset();
            await WriteAsync(context, 200, new JsonObject { ["ok"] = true }, linked.Token);
        }
        else
        {
            await WriteAsync(context, 404, AnthropicEvents.ErrorEnvelope("not_found_error", $"No control endpoint {method} {path}"), linked.Token);
        }
    }

    private static async Task EnqueueAsync(FakeUpstreamServer server, HttpContext context, CancellationToken ct)
    {
        JsonObject? spec;
        try
        {
            spec = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: ct) as JsonObject;
        }
        catch (JsonException)
        {
            spec = null;
        }

        var response = spec is null ? null : FromSpec(spec);
        if (response is null)
        {
            await WriteAsync(context, 400, AnthropicEvents.ErrorEnvelope(
                "invalid_request_error",
                "Expected {\"kind\": \"status\"|\"sse_error\"|\"cut_stream\"|\"text\"|\"never_answer\"|\"reset\", …}."), ct);
            return;
        }

        server.Enqueue(response);
        await WriteAsync(context, 200, new JsonObject { ["ok"] = true, ["queued"] = server.QueuedCount }, ct);
    }

    private static FakeResponse? FromSpec(JsonObject spec)
    {
        var kind = GetString(spec, "kind");
        switch (kind)
        {
            case "status":
                var status = spec["status"] is JsonValue statusValue && statusValue.TryGetValue<int>(out var code) ? code : 500;
                var headers = new List<(string Name, string Value)>();
                if (spec["headers"] is JsonObject headerObject)
                {
                    foreach (var (name, value) in headerObject)
                    {
                        headers.Add((name, value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToJsonString() ?? string.Empty));
                    }
                }

                return FakeResponse.Status(status, GetString(spec, "body") ?? string.Empty, [.. headers]);
            case "sse_error":
                return FakeResponse.SseErrorEvent();
            case "cut_stream":
                return FakeResponse.CutStreamAfterFirstDelta();
            case "text":
                return FakeResponse.AnthropicText(GetString(spec, "text") ?? string.Empty);
            case "never_answer":
                return FakeResponse.NeverAnswer();
            case "reset":
                return FakeResponse.ResetBeforeHeaders();
            default:
                return null;
        }
    }

    private static JsonObject RequestsJson(FakeUpstreamServer server)
    {
        var list = new JsonArray();
        foreach (var request in server.Requests)
        {
            var headers = new JsonArray();
            foreach (var header in request.Headers)
            {
                headers.Add(new JsonArray(header.Key, header.Value));
            }

            list.Add(new JsonObject
            {
                ["method"] = request.Method,
                ["path"] = request.Path,
                ["query"] = request.QueryString,
                ["protocol"] = request.Protocol,
                ["connection_id"] = request.ConnectionId,
                ["received_at"] = request.ReceivedAt.ToString("O"),
                ["headers"] = headers,
                ["body_sha256"] = request.BodySha256,
                ["body_complete"] = request.BodyComplete,
                ["body"] = Convert.ToBase64String(request.Body),
            });
        }

        return new JsonObject { ["requests"] = list, ["connection_count"] = server.ConnectionCount };
    }

    private static string? GetString(JsonObject spec, string name) =>
        spec[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static async Task WriteAsync(HttpContext context, int status, JsonNode body, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, ct);
    }
}
