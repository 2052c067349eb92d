using Isoproxy.FakeUpstream;

namespace Isoproxy.Tests.Faults;

/// <summary>Scripted Messages streams for fault tests.</summary>
public static class TestStreams
{
    /// <summary><paramref name="count"/> small text deltas, <paramref name="gap"/> apart (the first at once).</summary>
    public static List<SseChunk> Deltas(int count, TimeSpan gap) =>
    [
        .. Enumerable.Range(0, count).Select(i => SseChunk.Event(
            "content_block_delta",
            $$$"""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"part {{{i}}}"}}""",
            i == 0 ? TimeSpan.Zero : gap)),
    ];
}
