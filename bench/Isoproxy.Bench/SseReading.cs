namespace Isoproxy.Bench;

/// <summary>What one read of a server-sent event stream saw.</summary>
public sealed class SseReading
{
    /// <summary>Receive time − emit time of each text delta, in milliseconds.</summary>
    public List<double> DelaysMs { get; } = [];

    /// <summary>Request sent → first body byte, in milliseconds (NaN before the first byte).</summary>
    public double TimeToFirstByteMs { get; set; } = double.NaN;

    /// <summary>The whole body as text (only kept when asked for, e.g. by the soak).</summary>
    public string? Text { get; set; }

    public bool SawMessageStop { get; set; }

    public bool SawErrorEvent { get; set; }

    public int Deltas { get; set; }

    /// <summary>The read failed (connection aborted) instead of reaching a clean end.</summary>
    public bool Failed { get; set; }
}
