using System.Collections.Concurrent;

namespace Isoproxy.Bench;

/// <summary>Counts of the soak's requests, by kind, and the wrong answers seen.</summary>
public sealed class SoakTally
{
    private const int KeptProblems = 20;

    private readonly ConcurrentDictionary<string, long> _byKind = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _problems = new();
    private long _requests;
    private long _wrong;

    public long Requests => Interlocked.Read(ref _requests);

    public long Wrong => Interlocked.Read(ref _wrong);

    public IReadOnlyDictionary<string, long> ByKind => _byKind;

    /// <summary>The first wrong answers, described.</summary>
    public IEnumerable<string> Problems => _problems;

    public void Right(string kind)
    {
        Interlocked.Increment(ref _requests);
        _byKind.AddOrUpdate(kind, 1, (_, count) => count + 1);
    }

    public void Mistake(string kind, string problem)
    {
        Right(kind);
        if (Interlocked.Increment(ref _wrong) <= KeptProblems)
        {
            _problems.Enqueue($"{kind}: {problem}");
        }
    }
}
