using Isoproxy.Configuration;
using Xunit;

namespace Isoproxy.Tests.Configuration;

public sealed class SizeParserTests
{
    [Theory]
    [InlineData("1", 1L)] // smallest valid size
    [InlineData("5242880", 5L * 1024 * 1024)] // plain integer: bytes
    [InlineData("100B", 100L)] // explicit byte unit
    [InlineData("1KB", 1024L)] // 1024-based, not 1000
    [InlineData("5MB", 5L * 1024 * 1024)] // the default request limit
    [InlineData("20MB", 20L * 1024 * 1024)] // the default response limit
    [InlineData("2GB", 2L * 1024 * 1024 * 1024)] // beyond int range
    [InlineData("5 MB", 5L * 1024 * 1024)] // one space between number and unit
    [InlineData("5mb", 5L * 1024 * 1024)] // unit is case-insensitive
    [InlineData("5Mb", 5L * 1024 * 1024)] // mixed case too
    [InlineData("1.5KB", 1536L)] // a fraction is fine when it comes to whole bytes
    [InlineData("0.5MB", 512L * 1024)] // leading zero fraction
    [InlineData("007", 7L)] // leading zeros are decimal, not octal
    public void TryParse_ValidSize_ReturnsBytes(string text, long expected)
    {
        Assert.True(SizeParser.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")] // empty
    [InlineData("0")] // zero is not a usable limit
    [InlineData("0MB")] // zero with a unit
    [InlineData("-1")] // negative
    [InlineData("-5MB")] // negative with a unit
    [InlineData("1.5")] // a bare number counts bytes, so it must be whole
    [InlineData("1.1KB")] // 1126.4 bytes is not whole
    [InlineData("5MiB")] // binary-prefix spelling is not accepted; MB already means 1024-based
    [InlineData("5TB")] // unknown unit
    [InlineData("5 M")] // unit without B
    [InlineData("MB")] // unit without number
    [InlineData("5  MB")] // two spaces
    [InlineData(" 5MB")] // leading space
    [InlineData("5MB ")] // trailing space
    [InlineData("5MB\n")] // trailing newline
    [InlineData("1e6")] // exponent notation
    [InlineData("1,024")] // group separator
    [InlineData("+5MB")] // explicit sign
    [InlineData("99999999999GB")] // overflows a long
    [InlineData("9223372036854775808")] // long.MaxValue + 1
    public void TryParse_InvalidSize_ReturnsFalse(string text)
    {
        Assert.False(SizeParser.TryParse(text, out _));
    }

    [Theory]
    [InlineData(5L * 1024 * 1024, "5MB")] // whole megabytes
    [InlineData(1024L * 1024 * 1024, "1GB")] // the largest unit wins
    [InlineData(2048L, "2KB")] // whole kilobytes
    [InlineData(1536L, "1536")] // 1.5KB is written as bytes: no fractions in output
    [InlineData(1000L, "1000")] // decimal thousands are not kilobytes
    public void Format_Size_ShortestExactSpellingThatParsesBack(long bytes, string expected)
    {
        var text = SizeParser.Format(bytes);

        Assert.Equal(expected, text);
        Assert.True(SizeParser.TryParse(text, out var parsed));
        Assert.Equal(bytes, parsed);
    }
}
