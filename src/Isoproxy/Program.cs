using Isoproxy.Cli;
using Isoproxy.Hosting;

// Before anything reads a key: no core dumps, no same-user ptrace or /proc/PID/environ.
if (ProcessHardening.MakeNonDumpable() is string hardeningProblem)
{
    Console.Error.WriteLine($"isoproxy: warning: {hardeningProblem}");
}
return await IsoproxyCli.RunAsync(args, ProxyServerOptions.Console, Environment.GetEnvironmentVariable);
