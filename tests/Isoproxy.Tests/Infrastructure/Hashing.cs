using System.Security.Cryptography;

namespace Isoproxy.Tests.Infrastructure;

public static class Hashing
{
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
