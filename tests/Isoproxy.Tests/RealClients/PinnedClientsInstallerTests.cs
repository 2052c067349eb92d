using Xunit;

namespace Isoproxy.Tests.RealClients;

/// <summary>When the pinned clients count as installed: npm's own record of the last install is newer than the pins.</summary>
public sealed class PinnedClientsInstallerTests
{
    [Fact]
    public void IsUpToDate_FollowsTheLockFileAndTheLastInstall()
    {
        var directory = Directory.CreateTempSubdirectory("isoproxy-clients-").FullName;
        try
        {
            var start = DateTime.UtcNow.AddHours(-1);
            File.WriteAllText(Path.Combine(directory, "package.json"), "{}");
            File.WriteAllText(Path.Combine(directory, "package-lock.json"), "{}");
            File.SetLastWriteTimeUtc(Path.Combine(directory, "package.json"), start);
            File.SetLastWriteTimeUtc(Path.Combine(directory, "package-lock.json"), start);
            Assert.False(PinnedClientsInstaller.IsUpToDate(directory));

            var installed = Path.Combine(Directory.CreateDirectory(Path.Combine(directory, "node_modules")).FullName, ".package-lock.json");
            File.WriteAllText(installed, "{}");
            File.SetLastWriteTimeUtc(installed, start.AddMinutes(1));
            Assert.True(PinnedClientsInstaller.IsUpToDate(directory));

            // A changed lock file (git pull, a version bump) calls for a new install.
            File.SetLastWriteTimeUtc(Path.Combine(directory, "package-lock.json"), start.AddMinutes(2));
            Assert.False(PinnedClientsInstaller.IsUpToDate(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
