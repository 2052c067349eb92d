using System.Text.RegularExpressions;
using Isoproxy.Forwarding;
using Xunit;

namespace Isoproxy.Tests.Forwarding;

public sealed partial class RequestIdsTests
{
    [GeneratedRegex("^iso_[0-9a-f]{20}$")]
    private static partial Regex Shape();

    [Fact]
    public void Next_ManyIds_ShapeKeptAndAllDistinct()
    {
        var ids = Enumerable.Range(0, 10_000).AsParallel().Select(_ => RequestIds.Next()).ToArray();

        Assert.All(ids, id => Assert.Matches(Shape(), id));
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Single(ids.Select(id => id[..12]).Distinct());
    }
}
