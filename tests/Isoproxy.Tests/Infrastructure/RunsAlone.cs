using Xunit;

namespace Isoproxy.Tests.Infrastructure;

/// <summary>
/// Tests that measure the process as a whole (allocations, event latency) run alone, after the
/// parallel ones, so other tests' load does not count against them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "runs alone";
}
