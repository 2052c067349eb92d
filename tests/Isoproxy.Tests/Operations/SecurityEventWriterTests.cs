using System.Text.Json;
using Isoproxy.Operations;
using Xunit;

namespace Isoproxy.Tests.Operations;

public sealed class SecurityEventWriterTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    private readonly StringWriter _output = new();
    private readonly ManualTimeProvider _time = new(Start);

    private SecurityEventWriter Writer() => new(_output, _time);

    private string[] Lines => _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void EveryEvent_OneJsonLineWithTimeEventAndFields()
    {
        var writer = Writer();

        writer.ConfigLoaded("/etc/isoproxy.yaml", "ab12", ["anthropic", "openrouter"]);
        writer.ConfigReloaded("/etc/isoproxy.yaml", "cd34", ["anthropic"], ["listen"]);
        writer.ConfigReloadFailed("/etc/isoproxy.yaml", ["/etc/isoproxy.yaml:3: providers: is required"]);
        writer.ClientRefused("iso_1", 401, "client_unauthenticated", null, "anthropic");
        writer.ClientRefused("iso_2", 403, "provider_not_allowed", "sandbox-1", "openrouter");
        writer.PeerRefused(1001, 1001);
        writer.UpstreamAddressRefused("iso_5", "anthropic", "api.example.test");
        writer.ConnectionLimit(256);
        writer.ShutdownStarted(TimeSpan.FromSeconds(30), 2);
        writer.ShutdownFinished(TimeSpan.FromMilliseconds(1500));

        const string T = "\"time\":\"2026-01-02T03:04:05.678Z\"";
        Assert.Equal(
            [
                $$"""{{{T}},"event":"config_loaded","source":"/etc/isoproxy.yaml","sha256":"ab12","providers":["anthropic","openrouter"]}""",
                $$"""{{{T}},"event":"config_reloaded","source":"/etc/isoproxy.yaml","sha256":"cd34","providers":["anthropic"],"restart_required":["listen"]}""",
                $$"""{{{T}},"event":"config_reload_failed","source":"/etc/isoproxy.yaml","problems":["/etc/isoproxy.yaml:3: providers: is required"]}""",
                $$"""{{{T}},"event":"client_refused","request_id":"iso_1","status":401,"reason":"client_unauthenticated","client":null,"provider":"anthropic"}""",
                $$"""{{{T}},"event":"client_refused","request_id":"iso_2","status":403,"reason":"provider_not_allowed","client":"sandbox-1","provider":"openrouter"}""",
                $$"""{{{T}},"event":"peer_refused","uid":1001,"gid":1001,"count":1}""",
                $$"""{{{T}},"event":"upstream_address_refused","request_id":"iso_5","provider":"anthropic","host":"api.example.test"}""",
                $$"""{{{T}},"event":"connection_limit","count":1,"limit":256}""",
                $$"""{{{T}},"event":"shutdown_started","grace_seconds":30,"in_flight":2}""",
                $$"""{{{T}},"event":"shutdown_finished","duration_ms":1500}""",
            ],
            Lines);
    }

    [Fact]
    public void PeerRefused_AtMostOneEventPerInterval_CountCarriesTheRest_IdsOfTheLatestPeer()
    {
        var writer = Writer();

        writer.PeerRefused(1001, 1001);
        writer.PeerRefused(1002, 1002);
        writer.PeerRefused(1003, 1003);
        _time.Advance(SecurityEventWriter.PeerRefusedInterval);
        writer.PeerRefused(null, null);

        var events = Lines.Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal([1L, 3L], events.Select(e => e.GetProperty("count").GetInt64()));
        Assert.Equal(1001u, events[0].GetProperty("uid").GetUInt32());
        Assert.Equal(JsonValueKind.Null, events[1].GetProperty("uid").ValueKind);
    }

    [Fact]
    public void ConnectionLimit_AtMostOneEventPerInterval_CountCarriesTheRest()
    {
        var writer = Writer();

        writer.ConnectionLimit(10);
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            writer.ConnectionLimit(10);
        }
        _time.Advance(SecurityEventWriter.ConnectionLimitInterval);
        writer.ConnectionLimit(10);

        var counts = Lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("count").GetInt64()).ToArray();
        Assert.Equal([1L, 6L], counts);
    }

    [Fact]
    public void Values_AreJsonEscaped_NeverBreakTheLine()
    {
        var writer = Writer();

        writer.ConfigReloadFailed("/tmp/odd\nname.yaml", ["line one\nline two \"quoted\""]);

        var line = Assert.Single(Lines);
        var root = JsonDocument.Parse(line).RootElement;
        Assert.Equal("/tmp/odd\nname.yaml", root.GetProperty("source").GetString());
        Assert.Equal("line one\nline two \"quoted\"", root.GetProperty("problems")[0].GetString());
    }
}
