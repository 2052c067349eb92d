using Isoproxy.Operations;
using Isoproxy.Routing;
using Isoproxy.Tests.Configuration;
using Xunit;

namespace Isoproxy.Tests.Operations;

public sealed class MetricRouteTests
{
    public static TheoryData<string, string, string> Targets => new()
    {
        { "POST", "/v1/messages", "messages" },
        { "POST", "/v1/messages?beta=true", "messages" },
        { "POST", "/anthropic/v1/messages/count_tokens", "count_tokens" },
        { "GET", "/v1/models", "models" },
        { "GET", "/v1/models/claude-x-1", "model" },
        { "GET", "/health", "health" },
        { "GET", "/v1/files", "other" },
        { "GET", "/etc/passwd", "other" },
        { "DELETE", "/v1/messages", "other" },
        { "GET", "/metrics", "other" },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public void Of_MapsEveryTargetToTheClosedSet(string method, string target, string expected)
    {
        var config = ConfigTestData.LoadFile("valid/minimal.yaml").Config!;

        var route = MetricRoute.Of(RouteTable.Resolve(method, target, config));

        Assert.Equal(expected, route);
    }
}
