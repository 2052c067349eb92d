using System.Text.Json;

namespace Isoproxy.Tests.Security;

/// <summary>Reads the request log, which is written just after the response ends.</summary>
internal static class LogLines
{
    /// <summary>Waits (bounded) until the log holds at least <paramref name="count"/> lines and returns them parsed.</summary>
    public static async Task<List<JsonElement>> WaitAsync(Func<string> log, int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        while (true)
        {
            var lines = log().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length >= count)
            {
                return [.. lines.Select(line => JsonDocument.Parse(line).RootElement.Clone())];
            }
            await Task.Delay(20, timeout.Token);
        }
    }
}
