using Xunit;

namespace Isoproxy.Tests.RealClients;

/// <summary>
/// Real clients are whole processes (Claude Code is a large native binary): running them one at
/// a time keeps a 2-core machine responsive and their timing-sensitive retries predictable. The
/// deployment tests, which start the executable under launchers and sandboxes, run here too.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealClientsCollection
{
    public const string Name = "RealClients";
}
