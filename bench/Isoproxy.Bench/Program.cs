using Isoproxy.Bench;

// The benchmark's own upstream and load drivers; bench/run orchestrates them.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: isoproxy-bench upstream|sse|first200|soak|report --name value ...");
    return 2;
}
var options = new Options(args.Skip(1));
return args[0] switch
{
    "upstream" => await BenchUpstream.RunAsync(options),
    "sse" => await SseLoad.RunAsync(options),
    "first200" => await StartupProbe.RunAsync(options),
    "soak" => await Soak.RunAsync(options),
    "report" => Report.Run(options),
    _ => 2,
};
