using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>How one kind of configuration value is written: read from its key, printed back, named in the documentation.</summary>
/// <param name="Name">The type as the documentation's tables name it.</param>
/// <param name="Read">
/// The value under a key of a mapping. Every problem is reported through the mapping (wrong
/// node type, invalid text, an invalid item of a list); an absent key gives nothing.
/// </param>
/// <param name="Format">The value as the effective configuration and the documentation print it.</param>
internal sealed record FieldKind<T>(string Name, Func<MappingReader, string, Parsed<T>> Read, Func<T, string> Format);
