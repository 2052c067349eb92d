using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Isoproxy.Configuration.Yaml;

/// <summary>Turns YAML text into a <see cref="ConfigNode"/> tree, reporting syntax problems with their line.</summary>
internal static class ConfigTreeReader
{
    /// <summary>
    /// Deepest nesting of lists and mappings. A real configuration nests four levels; the bound
    /// keeps a hostile file from exhausting the stack of the recursive reader below.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// The root node of the single document in <paramref name="yaml"/>, or null when the text
    /// is empty or cannot be parsed (the reason is then in <paramref name="diagnostics"/>).
    /// </summary>
    public static ConfigNode? Read(string yaml, ConfigDiagnostics diagnostics)
    {
        var parser = new Parser(new StringReader(yaml));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }
            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, diagnostics, depth: 1);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var extra))
            {
                // A second document would otherwise be silently ignored.
                diagnostics.Error(LineOf(extra), "", "the file holds more than one YAML document; use one");
                return null;
            }
            return root;
        }
        catch (YamlException exception)
        {
            // YamlDotNet's messages describe the syntax, never the value being scanned.
            diagnostics.Error((int)exception.Start.Line, "", $"invalid YAML: {exception.Message}");
            return null;
        }
    }

    private static ConfigNode ReadNode(IParser parser, ConfigDiagnostics diagnostics, int depth)
    {
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            return new ConfigScalar(LineOf(scalar), scalar.Value, scalar.Style == ScalarStyle.Plain);
        }
        if (depth > MaxDepth && parser.Current is { } tooDeep)
        {
            // Like a syntax error this ends the load: nothing below this level is read.
            throw new YamlException(tooDeep.Start, tooDeep.End, $"lists and mappings nest deeper than {MaxDepth} levels, the limit");
        }
        if (parser.TryConsume<SequenceStart>(out var sequenceStart))
        {
            var items = new List<ConfigNode>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                items.Add(ReadNode(parser, diagnostics, depth + 1));
            }
            return new ConfigSequence(LineOf(sequenceStart), items);
        }
        if (parser.TryConsume<MappingStart>(out var mappingStart))
        {
            var entries = new List<ConfigEntry>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = ReadNode(parser, diagnostics, depth + 1);
                var value = ReadNode(parser, diagnostics, depth + 1);
                if (key is ConfigScalar scalarKey)
                {
                    entries.Add(new ConfigEntry(scalarKey, value));
                }
                else
                {
                    diagnostics.Error(key.Line, "", $"a key must be a scalar, not {key.Describe()}");
                }
            }
            return new ConfigMapping(LineOf(mappingStart), entries);
        }
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            // Aliases make one value appear in several places; a security configuration reads
            // better spelled out, and refusing them rules out alias-expansion bombs. Like a
            // syntax error this ends the load: the tree would have holes.
            throw new YamlException(alias.Start, alias.End, "YAML aliases (*name) are not supported; write the value out");
        }
        var unexpected = parser.Current;
        throw new YamlException(unexpected?.Start ?? Mark.Empty, unexpected?.End ?? Mark.Empty, "unexpected YAML event");
    }

    private static int LineOf(ParsingEvent parsingEvent) => (int)parsingEvent.Start.Line;
}
