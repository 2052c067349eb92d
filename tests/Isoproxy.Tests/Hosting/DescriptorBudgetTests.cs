using Isoproxy.Hosting;
using Xunit;

namespace Isoproxy.Tests.Hosting;

/// <summary>How many connections a file-descriptor limit can hold, with room for upstream connections.</summary>
public sealed class DescriptorBudgetTests
{
    [Theory]
    // Plenty of descriptors (systemd's hard limit, or a raised LimitNOFILE): the configured value.
    [InlineData(1024, 524288, 180, 64, 1024)]
    [InlineData(200, 4096, 180, 64, 200)]
    // The classic soft limit of 1024: what is left after the process's own and two per request in flight, and the spare.
    [InlineData(1024, 1024, 180, 64, 1024 - 180 - 128 - 128)]
    [InlineData(1024, 2048, 180, 64, 1024)]
    // A limit that leaves almost nothing still allows a few connections.
    [InlineData(1024, 300, 180, 64, DescriptorBudget.Minimum)]
    [InlineData(2, 300, 180, 64, 2)]
    public void MaxConnections_FitsTheLimit(int configured, long limit, int inUse, int maxConcurrentRequests, int expected)
    {
        Assert.Equal(expected, DescriptorBudget.MaxConnections(configured, limit, inUse, maxConcurrentRequests));
    }

    [Fact]
    public void Measure_ThisProcess_LimitAboveInUse()
    {
        var measured = DescriptorBudget.Measure();

        Assert.NotNull(measured);
        Assert.True(measured.Value.InUse > 0 && measured.Value.Limit > measured.Value.InUse, $"{measured}");
    }
}
