using Isoproxy.Hosting;
using Xunit;

namespace Isoproxy.Tests.Hosting;

/// <summary>Refusals reach stderr at most once a second, each line with the counts since the last.</summary>
public sealed class RefusalReporterTests
{
    [Fact]
    public async Task ThousandRefusalsInABurst_TwoLines_CountsAddUp()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = new StringWriter();
        var writer = TextWriter.Synchronized(output);
        var gate = new ConnectionGate(200);
        var reporter = new RefusalReporter(writer, gate, TimeProvider.System);

        for (var i = 0; i < 1000; i++)
        {
            reporter.Report(ConnectionRefusal.OverMaxConnections);
        }
        reporter.Report(ConnectionRefusal.PeerNotAllowed, "uid 1000 / gid 1000 is not allowed");

        // The first refusal is reported at once; the rest are held for the next second.
        Assert.Equal(["isoproxy: connections refused: 1 over max_connections (200); 0 open"], Lines(output));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        while (Lines(output).Length < 2)
        {
            await Task.Delay(20, timeout.Token);
        }
        await Task.Delay(TimeSpan.FromSeconds(1.5), ct);

        Assert.Equal(
            [
                "isoproxy: connections refused: 1 over max_connections (200); 0 open",
                "isoproxy: connections refused: 999 over max_connections (200); 1 from a Unix-socket peer not allowed (last: uid 1000 / gid 1000 is not allowed); 0 open",
            ],
            Lines(output));
        Assert.Equal(1000, gate.Refused(ConnectionRefusal.OverMaxConnections));
        Assert.Equal(1, gate.Refused(ConnectionRefusal.PeerNotAllowed));
    }

    [Fact]
    public async Task RefusalsASecondApart_EachReportedAtOnce()
    {
        var output = new StringWriter();
        var reporter = new RefusalReporter(TextWriter.Synchronized(output), new ConnectionGate(5), TimeProvider.System);

        reporter.Report(ConnectionRefusal.NoRequestInTime);
        await Task.Delay(TimeSpan.FromSeconds(1.2), TestContext.Current.CancellationToken);
        reporter.Report(ConnectionRefusal.OutOfDescriptors);

        Assert.Equal(
            [
                "isoproxy: connections refused: 1 closed without a complete request within client_header_timeout_seconds; 0 open",
                "isoproxy: connections refused: 1 not accepted: out of file descriptors; 0 open",
            ],
            Lines(output));
    }

    private static string[] Lines(StringWriter output) => output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
