using System.Text;
using Isoproxy.Forwarding;
using Xunit;

namespace Isoproxy.Tests.Forwarding;

/// <summary>Where events end, whatever the line endings and however the bytes are split.</summary>
public sealed class SseBoundaryScannerTests
{
    /// <summary>Pieces as they arrive, and the offsets (in the whole stream) just after each event's end.</summary>
    public static TheoryData<string[], int[]> Cases => new()
    {
        // One LF-framed event.
        { ["event: a\ndata: 1\n\n"], [18] },
        // Two events in one piece.
        { ["data: 1\n\ndata: 2\n\n"], [9, 18] },
        // CRLF framing: the boundary includes the blank line's LF.
        { ["data: 1\r\n\r\n"], [11] },
        // CR-only framing.
        { ["data: 1\r\r"], [9] },
        // CRLF whose CR ends one piece: the event is complete at the CR; the LF is not a second boundary.
        { ["data: 1\r\n\r", "\ndata: 2\r\n\r\n"], [10, 22] },
        // An event split in the middle of a line and between its two line ends.
        { ["event: a\nda", "ta: 1\n", "\n"], [18] },
        // A comment line is a line like any other: the blank line after it ends the event.
        { [": keep-alive\n\n"], [14] },
        // Leading blank lines end (empty) events too; harmless, since nothing is held before them.
        { ["\n\ndata: 1\n\n"], [1, 2, 11] },
        // A trailing partial event has no boundary yet.
        { ["data: 1\n\ndata: 2\n"], [9] },
        // A line that is not empty is not a boundary even when it is only spaces.
        { ["data: 1\n \n\n"], [11] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Scan_PiecesOfAStream_ReportsEachEventEnd(string[] pieces, int[] expected)
    {
        var scanner = new SseBoundaryScanner();
        var found = new List<int>();
        var offset = 0;
        foreach (var piece in pieces)
        {
            var bytes = Encoding.UTF8.GetBytes(piece);
            var start = offset;
            scanner.Scan(bytes, end => found.Add(start + end));
            offset += bytes.Length;
        }

        Assert.Equal(expected, found);
    }

    [Fact]
    public void Scan_EveryByteSeparately_SameBoundariesAsWhole()
    {
        var text = Encoding.UTF8.GetBytes("event: a\r\ndata: {\"x\":1}\r\n\r\nevent: b\ndata: 2\n\n: c\r\r");
        var whole = Boundaries([text]);

        var split = Boundaries([.. text.Select(b => new[] { b })]);

        // Byte by byte, a CRLF's LF is never in the same piece as its CR, so the boundary falls before it.
        Assert.Equal(3, whole.Count);
        Assert.Equal(whole.Count, split.Count);
        Assert.Equal([27, 45, 50], whole);
        Assert.Equal([26, 45, 50], split);
    }

    private static List<int> Boundaries(IEnumerable<byte[]> pieces)
    {
        var scanner = new SseBoundaryScanner();
        var found = new List<int>();
        var offset = 0;
        foreach (var piece in pieces)
        {
            var start = offset;
            scanner.Scan(piece, end => found.Add(start + end));
            offset += piece.Length;
        }
        return found;
    }
}
