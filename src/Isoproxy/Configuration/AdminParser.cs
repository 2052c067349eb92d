using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>
/// Reads the <c>admin:</c> section: each key as its row in <see cref="AdminFields"/> reads it,
/// each rule of <see cref="AdminRules"/> as soon as the keys it joins are read.
/// </summary>
internal static class AdminParser
{
    private static readonly string[] KnownKeys = [.. AdminFields.All.Select(field => field.Key)];

    /// <summary>The admin listener, or null when the section is absent (no admin listener).</summary>
    public static AdminConfig? Parse(MappingReader root)
    {
        if (!root.Has("admin"))
        {
            return null;
        }
        var mapping = root.Mapping("admin", KnownKeys);
        if (mapping is null)
        {
            return null;
        }

        var admin = AdminFields.UnsafeAllowNonLoopback.Read(mapping, AdminFields.Defaults);
        AdminRules.WarnNonLoopback(mapping, admin);
        AdminRules.CheckSomewhereToListen(root, mapping);
        admin = AdminFields.Tcp.Read(mapping, admin);
        AdminRules.CheckLoopback(mapping, admin);
        admin = AdminFields.Unix.Read(mapping, admin);
        return AdminFields.UnixMode.Read(mapping, admin);
    }
}
