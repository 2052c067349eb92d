using Xunit;

namespace Isoproxy.Tests.Configuration;

/// <summary>
/// One file per configuration under <c>testdata/config</c>: every file in <c>invalid/</c> must be
/// rejected with the error its first line announces; every file in <c>valid/</c> must load.
/// </summary>
public sealed class ConfigTestdataTableTests
{
    public static TheoryData<string> InvalidFiles => ConfigTestData.Files("invalid");

    public static TheoryData<string> ValidFiles => ConfigTestData.Files("valid");

    [Theory]
    [MemberData(nameof(InvalidFiles))]
    public void LoadFile_InvalidConfiguration_FailsWithExpectedError(string file)
    {
        var expected = ConfigTestData.ExpectedFragment(file);

        var result = ConfigTestData.LoadFile(file);

        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        Assert.True(
            result.Errors.Any(error => error.Contains(expected, StringComparison.Ordinal)),
            $"expected an error containing \"{expected}\"\n{ConfigTestData.Describe(result)}");
        // Each file holds one problem, so one error: more would mean a cascade of follow-up noise.
        Assert.True(result.Errors.Length == 1, $"expected exactly one error\n{ConfigTestData.Describe(result)}");
    }

    [Theory]
    [MemberData(nameof(ValidFiles))]
    public void LoadFile_ValidConfiguration_Loads(string file)
    {
        ConfigTestData.SecureKeyFiles();

        var result = ConfigTestData.LoadFile(file);

        Assert.True(result.IsValid, ConfigTestData.Describe(result));
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void InvalidFiles_CoverManyErrorClasses_AtLeastSixty()
    {
        // Guards against the folder silently failing to be copied to the output directory.
        Assert.True(InvalidFiles.Count >= 60, $"only {InvalidFiles.Count} invalid files found under {ConfigTestData.Root}");
    }
}
