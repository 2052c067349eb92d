using System.Globalization;

namespace Isoproxy.Bench;

/// <summary>Appends measured figures as <c>key TAB proxy TAB value</c> lines for <see cref="Report"/>.</summary>
public sealed class ResultsFile(string path, string proxy)
{
    public void Write(string key, double value)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{key}\t{proxy}\t{value:0.###}\n");
        File.AppendAllText(path, line);
        Console.Error.Write($"  {proxy} {key} = {value.ToString("0.###", CultureInfo.InvariantCulture)}\n");
    }
}
