using System.Text;

namespace Isoproxy.FakeUpstream;

/// <summary>One piece of a streamed reply: raw bytes written and flushed on their own after a delay.</summary>
public sealed class SseChunk
{
    public SseChunk(byte[] data, TimeSpan delayBefore = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(delayBefore, TimeSpan.Zero);
        Data = data;
        DelayBefore = delayBefore;
    }

    /// <summary>The exact bytes sent for this chunk.</summary>
    public byte[] Data { get; }

    /// <summary>How long to wait before writing this chunk.</summary>
    public TimeSpan DelayBefore { get; }

    /// <summary>The chunk as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Data);

    /// <summary>
    /// An SSE event in Anthropic's framing: <c>event: NAME\ndata: JSON\n\n</c>. Multi-line data is
    /// split into several data lines, as the SSE format requires.
    /// </summary>
    public static SseChunk Event(string eventName, string jsonData, TimeSpan delayBefore = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentNullException.ThrowIfNull(jsonData);
        var text = new StringBuilder();
        text.Append("event: ").Append(eventName).Append('\n');
        foreach (var line in jsonData.Split('\n'))
        {
            text.Append("data: ").Append(line.TrimEnd('\r')).Append('\n');
        }

        text.Append('\n');
        return new SseChunk(Encoding.UTF8.GetBytes(text.ToString()), delayBefore);
    }

    /// <summary>Arbitrary text, sent as is (for malformed or split-event scenarios).</summary>
    public static SseChunk Raw(string text, TimeSpan delayBefore = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new SseChunk(Encoding.UTF8.GetBytes(text), delayBefore);
    }

    public override string ToString() => Text;
}
