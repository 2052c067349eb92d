namespace Isoproxy.Credentials;

/// <summary>
/// A provider API key. Its value is reachable only through <see cref="Reveal"/>, which exactly
/// one place calls (<c>CredentialInjector</c>); every other rendering says <c>[redacted]</c>,
/// so a key cannot reach a log line, an exception message or <c>isoproxy check</c> by accident.
/// </summary>
public sealed class ApiKey
{
    private readonly string _value;

    public ApiKey(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary>The key itself. Only the outbound credential injector may call this.</summary>
    internal string Reveal() => _value;

    public override string ToString() => "[redacted]";
}
