using Microsoft.Extensions.Hosting;

namespace Isoproxy.Hosting;

/// <summary>
/// A host lifetime that ignores SIGINT/SIGTERM: the admin listener must keep answering while the
/// proxy drains, so it is stopped by its owner once the drain is over, never by the signal itself.
/// </summary>
internal sealed class NoSignalHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
