using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>The rules of <c>admin:</c> that join several keys; <see cref="AdminParser"/> runs each once its keys are read.</summary>
internal static class AdminRules
{
    public static void WarnNonLoopback(MappingReader mapping, AdminConfig admin)
    {
        if (admin.UnsafeAllowNonLoopback)
        {
            mapping.Warning(AdminFields.UnsafeAllowNonLoopback.Key,
                "is true: the admin listener may answer other machines, which then see request counts, providers and client names");
        }
    }

    public static void CheckSomewhereToListen(MappingReader root, MappingReader mapping)
    {
        if (!mapping.Has(AdminFields.Tcp.Key) && !mapping.Has(AdminFields.Unix.Key))
        {
            root.Error("admin", "set tcp, unix or both (or leave admin out for no admin listener)");
        }
    }

    public static void CheckLoopback(MappingReader mapping, AdminConfig admin)
    {
        if (ListenRules.IsUnallowedNonLoopback(admin.Tcp, admin.UnsafeAllowNonLoopback))
        {
            mapping.Error(AdminFields.Tcp.Key,
                "is not a loopback address; metrics name providers and clients, so the admin listener serves the local machine only " +
                "(set admin.unsafe_allow_non_loopback: true to override)");
        }
    }
}
