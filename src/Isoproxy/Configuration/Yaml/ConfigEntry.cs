namespace Isoproxy.Configuration.Yaml;

/// <summary>One <c>key: value</c> pair of a mapping, kept in file order.</summary>
internal sealed record ConfigEntry(ConfigScalar Key, ConfigNode Value);
