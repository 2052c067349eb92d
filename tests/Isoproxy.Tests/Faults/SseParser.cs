using System.Text;

namespace Isoproxy.Tests.Faults;

/// <summary>
/// A strict reader for streams the tests receive: every event must be complete (end with a blank
/// line), so a partial event anywhere fails the test instead of being silently dropped.
/// </summary>
public static class SseParser
{
    public static IReadOnlyList<SseEvent> ParseComplete(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (text.Length > 0 && !text.EndsWith("\n\n", StringComparison.Ordinal))
        {
            throw new FormatException($"the stream ends inside an event: ...{text[^Math.Min(80, text.Length)..]}");
        }

        var events = new List<SseEvent>();
        foreach (var block in text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            var data = new List<string>();
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Add(line["data: ".Length..]);
                }
                else if (!line.StartsWith(':'))
                {
                    throw new FormatException($"unexpected SSE line: {line}");
                }
            }
            events.Add(new SseEvent(name, string.Join('\n', data)));
        }
        return events;
    }
}
