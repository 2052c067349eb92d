using System.Globalization;
using System.Text.RegularExpressions;
using Isoproxy.Tests.Infrastructure;
using Isoproxy.Tests.RealClients;
using Xunit;

namespace Isoproxy.Tests.Deploy;

/// <summary>The shipped unit files, judged by systemd's own tools.</summary>
public sealed partial class SystemdUnitTests
{
    private static string UnitDirectory => Path.Combine(ClientPaths.RepositoryRoot, "deploy", "systemd");

    [Fact]
    public async Task ServiceUnit_SecurityExposure_IsAtMostOnePointFive()
    {
        var ct = TestContext.Current.CancellationToken;

        var result = await ChildProcess.RunAsync(
            "systemd-analyze", ["security", "--offline=yes", "--no-pager", Path.Combine(UnitDirectory, "isoproxy.service")],
            UnitDirectory, new Dictionary<string, string>(), TimeSpan.FromSeconds(60), ct);

        var match = OverallExposure().Match(result.Stdout);
        Assert.True(match.Success, $"no overall exposure in the output\n{result}");
        var exposure = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(exposure <= 1.5m, $"exposure {exposure} is above 1.5\n{result}");
    }

    [Fact]
    public async Task ServiceAndSocketUnits_PassSystemdAnalyzeVerify()
    {
        var ct = TestContext.Current.CancellationToken;
        // verify also checks that ExecStart names an executable file: point it at the one under test.
        var directory = Directory.CreateTempSubdirectory("isoproxy-units-").FullName;
        try
        {
            var service = await File.ReadAllTextAsync(Path.Combine(UnitDirectory, "isoproxy.service"), ct);
            Assert.Contains("ExecStart=/usr/local/bin/isoproxy serve", service, StringComparison.Ordinal);
            var command = string.Join(' ', IsoproxyProcess.Command);
            await File.WriteAllTextAsync(
                Path.Combine(directory, "isoproxy.service"), service.Replace("/usr/local/bin/isoproxy", command, StringComparison.Ordinal), ct);
            File.Copy(Path.Combine(UnitDirectory, "isoproxy.socket"), Path.Combine(directory, "isoproxy.socket"));

            var result = await ChildProcess.RunAsync(
                "systemd-analyze", ["verify", "--man=no", Path.Combine(directory, "isoproxy.service"), Path.Combine(directory, "isoproxy.socket")],
                directory, new Dictionary<string, string>(), TimeSpan.FromSeconds(60), ct);

            Assert.True(result.ExitCode == 0 && result.Stdout.Length == 0 && result.Stderr.Length == 0, result.ToString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ServiceUnit_HasTheSettingsTheDeploymentReliesOn()
    {
        var service = await File.ReadAllTextAsync(Path.Combine(UnitDirectory, "isoproxy.service"), TestContext.Current.CancellationToken);
        var lines = service.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();

        string[] required =
        [
            "Type=notify", "DynamicUser=yes", "CapabilityBoundingSet=", "NoNewPrivileges=yes", "ProtectSystem=strict",
            "PrivateTmp=yes", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6", "SystemCallFilter=@system-service",
            "MemoryDenyWriteExecute=yes", "LimitNOFILE=4096", "Environment=DOTNET_EnableDiagnostics=0",
        ];
        Assert.All(required, setting => Assert.Contains(setting, lines));
        // systemctl reload sends the signal the proxy reloads on.
        Assert.Contains("ExecReload=kill -HUP $MAINPID", lines);
    }

    [Fact]
    public void ExampleConfiguration_LoadsWithTheServicesCredential()
    {
        var credentials = Directory.CreateTempSubdirectory("isoproxy-credentials-").FullName;
        try
        {
            var keyFile = Path.Combine(credentials, "anthropic-key");
            File.WriteAllText(keyFile, "sk-example\n");
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead);

            var result = Isoproxy.Configuration.ConfigLoader.LoadFile(
                Path.Combine(UnitDirectory, "isoproxy.yaml"), name => name == "CREDENTIALS_DIRECTORY" ? credentials : null);

            Assert.True(result.IsValid, string.Join("; ", result.Errors));
            Assert.True(result.Config!.Listen.Systemd);
            Assert.Equal("credential:anthropic-key", Assert.Single(result.Config.Providers).KeySource);
        }
        finally
        {
            Directory.Delete(credentials, recursive: true);
        }
    }

    [GeneratedRegex(@"Overall exposure level for isoproxy\.service: (\d+\.\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex OverallExposure();
}
