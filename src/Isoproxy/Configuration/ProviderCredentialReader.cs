using System.Text.RegularExpressions;
using Isoproxy.Credentials;

namespace Isoproxy.Configuration;

/// <summary>
/// Reads a provider key from systemd's credential store: <c>$CREDENTIALS_DIRECTORY/NAME</c>, filled
/// by <c>LoadCredential=</c> or <c>LoadCredentialEncrypted=</c>. The file gets the same checks as
/// <c>api_key_file</c>.
/// </summary>
internal static partial class ProviderCredentialReader
{
    public const string DirectoryVariable = "CREDENTIALS_DIRECTORY";

    /// <summary>The key of credential <paramref name="name"/>, or null with <paramref name="error"/> saying why.</summary>
    public static ApiKey? FromCredential(string name, Func<string, string?> getEnvironmentVariable, out string? error)
    {
        if (!CredentialNamePattern().IsMatch(name) || name is "." or "..")
        {
            // Not echoed: a value that is no credential name may well be a pasted key.
            error = "must be a credential name as in LoadCredential=NAME:... (letters, digits, '_', '-', '.'; no '/')";
            return null;
        }
        var directory = getEnvironmentVariable(DirectoryVariable);
        if (string.IsNullOrEmpty(directory))
        {
            error = $"{DirectoryVariable} is not set: systemd sets it for a unit with LoadCredential={name}:... or LoadCredentialEncrypted={name}:...";
            return null;
        }
        if (!Path.IsPathFullyQualified(directory))
        {
            error = $"{DirectoryVariable} is not an absolute path";
            return null;
        }
        return ProviderKeyReader.FromFile(Path.Combine(directory, name), out error);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,255}\z", RegexOptions.CultureInvariant)]
    private static partial Regex CredentialNamePattern();
}
