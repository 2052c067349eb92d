using Isoproxy.Configuration;
using Isoproxy.Forwarding;
using Xunit;

namespace Isoproxy.Tests.Forwarding;

/// <summary>The relay's memory does not grow with the body: fixed buffers, nothing accumulated.</summary>
public sealed class ResponseRelayMemoryTests
{
    private const long BodyBytes = 50L * 1024 * 1024;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Read_FiftyMegabyteBody_AllocatesFarLessThanBody(bool isEventStream)
    {
        // The scripted upstream answers synchronously, so the whole relay runs on this thread and
        // the thread's allocation counter sees everything it allocates.
        var piece = System.Text.Encoding.UTF8.GetBytes("data: " + new string('x', 1000) + "\n\n");
        var pieces = Enumerable.Repeat(piece, (int)(BodyBytes / piece.Length)).ToArray();
        var buffer = new byte[16 * 1024];
        await RelayAsync(pieces[..100], isEventStream, buffer);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var relayed = await RelayAsync(pieces, isEventStream, buffer);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(pieces.Length * (long)piece.Length, relayed);
        // Holding or copying the body would allocate at least its 50 MB. What remains is small
        // garbage per read: in a Debug build each async state machine is a heap object (about
        // 260 bytes per 1 KB event here); in a Release build almost nothing.
        Assert.True(allocated < BodyBytes / 3, $"allocated {allocated} bytes relaying {relayed}");
    }

    private static async Task<long> RelayAsync(byte[][] pieces, bool isEventStream, byte[] buffer)
    {
        var config = LimitsConfig.Defaults with { MaxResponseBytes = long.MaxValue, StreamIdle = TimeSpan.FromMinutes(1) };
        var limits = new RelayLimits(config, isEventStream, Environment.TickCount64 + 600_000);
        using var relay = new ResponseRelayStream(new ScriptedUpstreamStream(pieces), limits, CancellationToken.None);
        var cancellationToken = TestContext.Current.CancellationToken;
        long total = 0;
        int read;
        while ((read = await relay.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
        }
        return total;
    }
}
