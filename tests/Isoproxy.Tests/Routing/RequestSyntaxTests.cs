using Isoproxy.Routing;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Isoproxy.Tests.Routing;

/// <summary>The request syntax rules as a table: one row per byte class.</summary>
public sealed class RequestSyntaxTests
{
    [Theory]
    // Well-formed, percent-encoding included: allowed.
    [InlineData("")]
    [InlineData("?")]
    [InlineData("?beta=true")]
    [InlineData("?a=1&b=2;c=3")]
    [InlineData("?x=%2F%20a+b&empty=&flag")]
    [InlineData("?raw=%00%01%7F%22%3C%FF")]
    [InlineData("?path=/a/b?c:d@e!$'()*,~")]
    public void QueryProblem_WellFormed_None(string query)
    {
        Assert.Null(RequestSyntax.QueryProblem(query));
    }

    [Theory]
    [InlineData("?a=\u0001", "a control character (0x01)")]
    [InlineData("?a=\u0009", "a control character (0x09)")]
    [InlineData("?a=\u001f", "a control character (0x1F)")]
    [InlineData("?a=\u007f", "a control character (0x7F)")]
    [InlineData("?a=\"", "'\"'")]
    [InlineData("?a=<", "'<'")]
    [InlineData("?a=>", "'>'")]
    [InlineData("?a=\\", "'\\'")]
    [InlineData("?a=^", "'^'")]
    [InlineData("?a=`", "'`'")]
    [InlineData("?a={", "'{'")]
    [InlineData("?a=|", "'|'")]
    [InlineData("?a=}", "'}'")]
    [InlineData("?a=#", "'#'")]
    [InlineData("?a=[", "'['")]
    [InlineData("?a= ", "a space")]
    [InlineData("?a=\u00e9", "a non-ASCII character")]
    public void QueryProblem_ByteClass_Refused(string query, string described)
    {
        Assert.Equal($"the query contains {described}, which a URL query may not hold; percent-encode it", RequestSyntax.QueryProblem(query));
    }

    [Theory]
    [InlineData("?a=%")]
    [InlineData("?a=%4")]
    [InlineData("?a=%G1")]
    [InlineData("?a=%%41")]
    public void QueryProblem_BrokenEscape_Refused(string query)
    {
        Assert.Equal("the query contains a '%' that does not start a %XX escape", RequestSyntax.QueryProblem(query));
    }

    [Theory]
    [InlineData("plain value", null)]
    [InlineData("tab\tinside", null)]
    [InlineData("all visible !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", null)]
    [InlineData("a\u0001b", "a control character (0x01)")]
    [InlineData("a\u000bb", "a control character (0x0B)")]
    [InlineData("a\u000cb", "a control character (0x0C)")]
    [InlineData("a\u001fb", "a control character (0x1F)")]
    [InlineData("a\u007fb", "a control character (0x7F)")]
    [InlineData("caf\u00e9", "a non-ASCII character")]
    [InlineData("\u4e2d", "a non-ASCII character")]
    public void HeaderProblem_ByteClass(string value, string? described)
    {
        var headers = new HeaderDictionary { ["x-test"] = value, ["anthropic-version"] = "2023-06-01" };

        var problem = RequestSyntax.HeaderProblem(headers);

        Assert.Equal(described is null ? null : $"header x-test contains {described}; header values must be visible ASCII, space or tab", problem);
    }
}
