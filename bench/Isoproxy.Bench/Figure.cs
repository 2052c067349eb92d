namespace Isoproxy.Bench;

/// <summary>How a figure is compared with nginx's, and what the target asks of it.</summary>
public enum Comparison
{
    /// <summary>isoproxy ÷ nginx.</summary>
    Ratio,

    /// <summary>isoproxy − nginx (latencies).</summary>
    Difference,
}

/// <summary>One row of the report: a measured key, and its target (if any).</summary>
/// <param name="Target">Judges (isoproxy, nginx) → met; null when the figure has no target.</param>
public sealed record Figure(string Label, string Key, Comparison Comparison, string TargetText, Func<double, double, bool>? Target);
