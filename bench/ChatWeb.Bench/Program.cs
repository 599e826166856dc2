using ChatWeb.Bench.Cli;

return await BenchCommands.RunAsync(args);
