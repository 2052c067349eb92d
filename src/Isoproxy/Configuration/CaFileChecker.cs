using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Isoproxy.Configuration;

/// <summary>Checks <c>ca_file</c> at load time, so a wrong path fails <c>isoproxy check</c> rather than the first request.</summary>
internal static class CaFileChecker
{
    /// <summary>Null when <paramref name="path"/> holds at least one PEM certificate; otherwise why not.</summary>
    public static string? Check(string path)
    {
        if (!File.Exists(path))
        {
            return $"CA file {path} does not exist";
        }
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
            return certificates.Count == 0 ? $"CA file {path} contains no PEM certificate (-----BEGIN CERTIFICATE-----)" : null;
        }
        catch (CryptographicException exception)
        {
            return $"CA file {path} holds an invalid PEM certificate: {exception.Message}";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"cannot read CA file {path}: {exception.Message}";
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }
}
