using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace Isoproxy.FakeUpstream;

/// <summary>
/// Standalone mode, for driving the fake from scripts or a real client:
/// <c>dotnet run --project tests/Isoproxy.FakeUpstream -- [--port N] [--ca-out PATH] [--reply-text TEXT] [--ignore-stdin]</c>.
/// Prints one JSON line with the URL and CA file, then serves until SIGINT/SIGTERM or stdin closes.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var port = 0;
        string? caOut = null;
        string? replyText = null;
        var watchStdin = true;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed):
                    port = parsed;
                    i++;
                    break;
                case "--ca-out" when i + 1 < args.Length:
                    caOut = args[++i];
                    break;
                case "--reply-text" when i + 1 < args.Length:
                    replyText = args[++i];
                    break;
                case "--ignore-stdin":
                    // For background runs whose stdin is /dev/null (it would read as closed at once).
                    watchStdin = false;
                    break;
                default:
                    await Console.Error.WriteLineAsync(
                        $"Unknown or incomplete argument '{args[i]}'. Usage: [--port N] [--ca-out PATH] [--reply-text TEXT] [--ignore-stdin]");
                    return 2;
            }
        }

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        await using var server = await FakeUpstreamServer.StartAsync(
            new FakeUpstreamOptions { Port = port, ReplyText = replyText, EnableControlEndpoints = true },
            stop.Token);

        var caFile = server.CaFilePath;
        if (caOut is not null)
        {
            server.Authority.WriteCaPem(caOut);
            caFile = Path.GetFullPath(caOut);
        }

        var ready = new JsonObject
        {
            ["url"] = server.BaseUri.ToString().TrimEnd('/'),
            ["ca_file"] = caFile,
            ["port"] = server.Port,
        };
        await Console.Out.WriteLineAsync(ready.ToJsonString());
        await Console.Out.FlushAsync();

        if (watchStdin)
        {
            _ = Task.Run(async () =>
            {
                // Reading to end of input: when the parent closes our stdin, stop serving.
                while (await Console.In.ReadLineAsync() is not null)
                {
                }

                await stop.CancelAsync();
            });
        }

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Normal shutdown.
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
