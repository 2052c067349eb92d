using System.Text.Json;
using Xunit;

namespace Isoproxy.Tests.RealClients;

/// <summary>Runs <c>tests/clients/sdk-driver.mjs</c> (one TypeScript SDK, one scenario) and parses its JSON line.</summary>
public static class SdkDriver
{
    public const string Sdk112 = "sdk-1-12";
    public const string Sdk0137 = "sdk-0-137";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    /// <param name="caFile">When talking to the fake upstream directly: the CA Node must trust.</param>
    public static async Task<DriverOutput> RunAsync(string alias, string scenario, Uri baseUri, CancellationToken cancellationToken, string? caFile = null)
    {
        ClientPaths.RequireSdk(alias);
        var environment = new Dictionary<string, string>
        {
            ["CLIENT_BASE_URL"] = baseUri.ToString().TrimEnd('/'),
            ["CLIENT_KEY"] = PassThroughAssertions.ClientKey,
        };
        if (caFile is not null)
        {
            environment["NODE_EXTRA_CA_CERTS"] = caFile;
        }

        var result = await ChildProcess.RunAsync(
            ClientPaths.Node, [ClientPaths.SdkDriver, alias, scenario], ClientPaths.ClientsDirectory, environment, RunTimeout, cancellationToken);
        Assert.True(result.ExitCode == 0, result.ToString());
        var line = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return new DriverOutput(JsonDocument.Parse(line).RootElement.Clone(), result);
    }
}

/// <summary>The driver's result: what the SDK returned or threw, and every request it sent.</summary>
public sealed class DriverOutput(JsonElement root, ChildResult process)
{
    public JsonElement Root { get; } = root;

    public ChildResult Process { get; } = process;

    public bool Ok => Root.GetProperty("ok").GetBoolean();

    public JsonElement Result => Root.GetProperty("result");

    public JsonElement Error => Root.GetProperty("error");

    public int? ErrorStatus => Root.GetProperty("error") is { ValueKind: JsonValueKind.Object } error
        && error.GetProperty("status").ValueKind == JsonValueKind.Number ? error.GetProperty("status").GetInt32() : null;

    public long ElapsedMs => Root.GetProperty("elapsedMs").GetInt64();

    /// <summary>The requests the SDK handed to fetch, as <see cref="ClientRequest"/>s.</summary>
    public IReadOnlyList<ClientRequest> Sent =>
    [
        .. Root.GetProperty("sent").EnumerateArray().Select(s =>
        {
            var url = new Uri(s.GetProperty("url").GetString()!);
            var headers = s.GetProperty("headers").EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList();
            return new ClientRequest(s.GetProperty("method").GetString()!, url.PathAndQuery, headers, s.GetProperty("bodySha256").GetString()!, s.GetProperty("bodyLength").GetInt64());
        }),
    ];

    public override string ToString() => Root.GetRawText() + "\n" + Process;
}
