using Isoproxy.Cli;
using Isoproxy.Hosting;

return await IsoproxyCli.RunAsync(args, ProxyServerOptions.Console, Environment.GetEnvironmentVariable);
