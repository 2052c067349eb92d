using System.Collections.Immutable;

namespace Isoproxy.Hosting;

/// <summary>What a configuration reload did.</summary>
/// <param name="Succeeded">True when new requests now use the reloaded configuration.</param>
/// <param name="Errors">Every problem of the reloaded configuration; the running one is kept when there is any.</param>
/// <param name="RestartRequired">Settings that changed but keep their running value until a restart.</param>
public sealed record ReloadResult(bool Succeeded, ImmutableArray<string> Errors, ImmutableArray<string> RestartRequired);
