using Microsoft.Extensions.Hosting;

namespace Isoproxy.FakeUpstream;

/// <summary>
/// Replaces the console lifetime so an in-process fake neither grabs the test host's Ctrl+C
/// handling nor prints start-up messages; the owner stops it by disposing.
/// </summary>
internal sealed class NoopHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
