using Isoproxy.Logging;
using Microsoft.Extensions.Primitives;
using Xunit;

namespace Isoproxy.Tests.Logging;

public sealed class AttributionShapeTests
{
    public static TheoryData<string, bool> Ids => new()
    {
        { "0f6c2a1e-7b1d-4a55-9f0e-3c2b1a0d9e8f", true },
        { "agent_1.2:sub-3", true },
        { new string('a', 128), true },
        { new string('a', 129), false },
        { "", false },
        { "has space", false },
        { "line\nbreak", false },
        { "quote\"", false },
        { "back\\slash", false },
        { "tab\t", false },
        { "ünïcode", false },
        { "{\"json\":1}", false },
        { "semi;colon", false },
    };

    [Theory]
    [MemberData(nameof(Ids))]
    public void Id_KeptOnlyInStrictShape(string value, bool kept)
    {
        Assert.Equal(kept ? value : null, AttributionShape.Id(new StringValues(value)));
    }

    [Fact]
    public void Id_AbsentOrRepeatedHeader_Omitted()
    {
        Assert.Null(AttributionShape.Id(StringValues.Empty));
        Assert.Null(AttributionShape.Id(new StringValues(["a", "b"])));
    }

    public static TheoryData<string, bool> UserAgents => new()
    {
        { "claude-cli/2.1.330 (external, cli)", true },
        { "Anthropic/JS 0.60.0", true },
        { "~!@#$%^&*()_+{}|:<>?", true },
        { new string('x', 256), true },
        { new string('x', 257), false },
        { "", false },
        { "agent\r\ninjected: yes", false },
        { "nul\0", false },
        { "del\u007f", false },
        { "café", false },
    };

    [Theory]
    [MemberData(nameof(UserAgents))]
    public void UserAgent_KeptOnlyWhenPrintableAsciiAndShort(string value, bool kept)
    {
        Assert.Equal(kept ? value : null, AttributionShape.UserAgent(new StringValues(value)));
    }

    public static TheoryData<string, string?> TraceParents => new()
    {
        { "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "4bf92f3577b34da6a3ce929d0e0e4736" },
        { "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", "4bf92f3577b34da6a3ce929d0e0e4736" },
        // A later version may carry more after the flags.
        { "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-future", "4bf92f3577b34da6a3ce929d0e0e4736" },
        // Version 00 has exactly four fields.
        { "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra", null },
        { "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null },
        { "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01", null },
        { "00-00000000000000000000000000000000-00f067aa0ba902b7-01", null },
        { "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", null },
        { "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01", null },
        { "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01", null },
        { "00-4bf92f3577b34da6a3ce929d0e0e47zz-00f067aa0ba902b7-01", null },
        { "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g", null },
        { "", null },
        { "garbage", null },
    };

    [Theory]
    [MemberData(nameof(TraceParents))]
    public void TraceId_OnlyFromWellFormedTraceparent(string traceparent, string? traceId)
    {
        Assert.Equal(traceId, AttributionShape.TraceId(new StringValues(traceparent)));
    }
}
