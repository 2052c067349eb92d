using System.Globalization;
using System.Security.Cryptography;

namespace Isoproxy.Forwarding;

/// <summary>
/// Request ids: <c>iso_</c> and 20 hex digits, unique within the process — a random prefix drawn
/// once at start, then a counter — so no request pays for a read of the system's random source.
/// </summary>
public static class RequestIds
{
    private static readonly string Prefix = "iso_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private static long _issued;

    public static string Next() =>
        string.Create(Prefix.Length + 12, Interlocked.Increment(ref _issued), static (text, number) =>
        {
            Prefix.CopyTo(text);
            // 12 hex digits: 2^48 ids before the counter wraps.
            (number & 0xFFFF_FFFF_FFFF).TryFormat(text[Prefix.Length..], out _, "x12", CultureInfo.InvariantCulture);
        });
}
