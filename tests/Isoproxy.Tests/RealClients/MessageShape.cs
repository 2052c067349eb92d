using System.Text.Json;
using System.Text.Json.Nodes;

namespace Isoproxy.Tests.RealClients;

/// <summary>
/// The parts of a Messages reply a client assembles (id, model, role, stop reason, every content
/// block's own fields) as canonical JSON, so a message an SDK built from a stream compares
/// equal to the message the upstream meant, whatever extra fields the SDK adds.
/// </summary>
public static class MessageShape
{
    private static readonly string[] MessageFields = ["id", "type", "role", "model", "stop_reason"];
    private static readonly string[] BlockFields = ["type", "text", "thinking", "signature", "id", "name", "input"];

    public static string Of(JsonNode message) => Of(JsonDocument.Parse(message.ToJsonString()).RootElement);

    public static string Of(JsonElement message)
    {
        var shape = new JsonObject();
        foreach (var field in MessageFields)
        {
            if (message.TryGetProperty(field, out var value))
            {
                shape[field] = JsonNode.Parse(value.GetRawText());
            }
        }

        var blocks = new JsonArray();
        foreach (var block in message.GetProperty("content").EnumerateArray())
        {
            var blockShape = new JsonObject();
            foreach (var field in BlockFields)
            {
                if (block.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null)
                {
                    blockShape[field] = JsonNode.Parse(value.GetRawText());
                }
            }

            blocks.Add(blockShape);
        }

        shape["content"] = blocks;
        return shape.ToJsonString();
    }
}
