using Microsoft.Extensions.Logging;

namespace Isoproxy.Hosting;

/// <summary>
/// Framework messages (Kestrel, hosting) as plain lines on the diagnostics writer (stderr), so
/// that stdout carries only the request log. Exceptions are shown by type and message only.
/// </summary>
public sealed class DiagnosticsLoggerProvider(TextWriter output) : ILoggerProvider
{
    private readonly Lock _writeLock = new();

    public ILogger CreateLogger(string categoryName) => new DiagnosticsLogger(this, categoryName);

    public void Dispose() { }

    private void Write(string line)
    {
        lock (_writeLock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private sealed class DiagnosticsLogger(DiagnosticsLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            var suffix = exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})";
            provider.Write($"isoproxy: {logLevel.ToString().ToLowerInvariant()}: {category}: {message}{suffix}");
        }
    }
}
