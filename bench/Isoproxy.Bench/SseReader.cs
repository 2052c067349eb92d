using System.Buffers.Text;
using System.Text;

namespace Isoproxy.Bench;

/// <summary>
/// Reads an SSE body event by event, noting for each text delta how long after its emission it
/// arrived, and whether the stream ended with <c>message_stop</c>.
/// </summary>
public static class SseReader
{
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Emit = Encoding.ASCII.GetBytes(BenchPayloads.EmitField);
    private static readonly byte[] MessageStop = "event: message_stop"u8.ToArray();
    private static readonly byte[] ErrorEvent = "event: error"u8.ToArray();

    /// <param name="stopAfterDeltas">Hang up after this many deltas (a client that goes away), or -1.</param>
    public static async Task<SseReading> ReadAsync(Stream body, long sentNanoseconds, bool keepText, int stopAfterDeltas, CancellationToken cancellationToken)
    {
        var reading = new SseReading();
        var buffer = new byte[64 * 1024];
        var filled = 0;
        var text = keepText ? new StringBuilder() : null;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                var read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken);
                var now = MonotonicClock.NowNanoseconds();
                if (read == 0)
                {
                    break;
                }
                if (double.IsNaN(reading.TimeToFirstByteMs))
                {
                    reading.TimeToFirstByteMs = (now - sentNanoseconds) / 1e6;
                }
                text?.Append(Encoding.UTF8.GetString(buffer, filled, read));
                filled += read;
                var consumed = ConsumeEvents(buffer.AsSpan(0, filled), now, reading);
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (stopAfterDeltas >= 0 && reading.Deltas >= stopAfterDeltas)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            reading.Failed = true;
        }
        reading.Text = text?.ToString();
        return reading;
    }

    private static int ConsumeEvents(ReadOnlySpan<byte> data, long now, SseReading reading)
    {
        var consumed = 0;
        while (true)
        {
            var end = data[consumed..].IndexOf(EventEnd);
            if (end < 0)
            {
                return consumed;
            }
            var sseEvent = data.Slice(consumed, end);
            consumed += end + EventEnd.Length;
            if (sseEvent.StartsWith(MessageStop))
            {
                reading.SawMessageStop = true;
            }
            else if (sseEvent.StartsWith(ErrorEvent))
            {
                reading.SawErrorEvent = true;
            }
            var at = sseEvent.IndexOf(Emit);
            if (at >= 0 && Utf8Parser.TryParse(sseEvent[(at + Emit.Length)..], out long emitted, out _))
            {
                reading.Deltas++;
                reading.DelaysMs.Add((now - emitted) / 1e6);
            }
        }
    }
}
