using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Faults;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Limits;

/// <summary>
/// A large body streams through the whole proxy without being accumulated anywhere. Runs alone,
/// because the process-wide allocation counter would otherwise count other tests too.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class MemoryBoundTests
{
    private const long BodyBytes = 50L * 1024 * 1024;

    [Fact]
    public async Task FiftyMegabyteResponse_RelayedEndToEnd_AllocationsFarBelowBodySize()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await FaultEnvironment.StartAsync(l => l with { MaxResponseBytes = 64L * 1024 * 1024 });
        env.Upstream.Enqueue(FakeResponse.LargeBody(200, BodyBytes, declareLength: false));
        var buffer = new byte[16 * 1024];

        var before = GC.GetTotalAllocatedBytes(precise: true);
        using var request = FaultEnvironment.Messages("{}");
        using var response = await env.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        long received = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, ct)) > 0)
        {
            received += read;
        }
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(BodyBytes, received);
        // Fake upstream, proxy and client together: any of them holding the body would allocate at least 50 MB.
        Assert.True(allocated < BodyBytes / 2, $"allocated {allocated} bytes relaying {received}");
    }
}
