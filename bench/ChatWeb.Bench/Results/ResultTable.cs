using ChatWeb.Bench.Measuring;

namespace ChatWeb.Bench.Results;

/// <summary>
/// The human side of a results file: one table per scenario and, for every fan-out size and for idle
/// memory, how each server compares with each other one; soaks have their own (<see cref="SoakTable"/>).
/// </summary>
internal static class ResultTable
{
    public static void Print(IReadOnlyList<RunResult> results, TextWriter output, bool everyRun)
    {
        PrintRegistration(results.OfType<RegistrationResult>().ToList(), output);
        PrintFanout(results, output, everyRun);
        PrintFixedLoad(results.OfType<FanoutResult>().Where(r => r.FixedDeliveriesPerSecond is not null).ToList(), output);
        PrintIdle(results.OfType<IdleResult>().ToList(), output);
        PrintConnect(results.OfType<ConnectResult>().ToList(), output);
        PrintFanoutRatios(results.OfType<FanoutStepResult>().ToList(), output);
        PrintIdleRatios(results.OfType<IdleResult>().ToList(), output);
        SoakTable.Print(results, output, everyRun);
    }

    private static string Server(RunResult r) => $"{r.Target}/{r.Transport}";

    private static void PrintRegistration(List<RegistrationResult> results, TextWriter output)
    {
        if (results.Count == 0) return;
        output.WriteLine("Accounts (before measuring; each is two PBKDF2 hashes: register + token)");
        var table = new MarkdownTable("server", "accounts", "failures", "wall s", "register p50/p99 ms", "token p50/p99 ms", "server CPU ms per hash");
        foreach (var r in results)
        {
            table.Add(r.Target, r.Accounts.ToString(), r.Failures.ToString(), MarkdownTable.Fixed(r.WallSeconds, "0.0"),
                $"{r.Register.P50Ms:0} / {r.Register.P99Ms:0}", $"{r.Token.P50Ms:0} / {r.Token.P99Ms:0}", MarkdownTable.Fixed(r.ServerCpuMsPerHash, "0.0"));
        }
        table.WriteTo(output);
    }

    private static void PrintFanout(IReadOnlyList<RunResult> results, TextWriter output, bool everyRun)
    {
        var steps = results.OfType<FanoutStepResult>().ToList();
        var runs = results.OfType<FanoutResult>()
            .Where(r => r.FixedDeliveriesPerSecond is null)
            .Where(r => everyRun || !steps.Any(s => s.Target == r.Target && s.Transport == r.Transport && s.Clients == r.Clients && s.Senders == r.Senders))
            .ToList();
        if (steps.Count + runs.Count == 0) return;

        output.WriteLine("Fan-out (held = no loss, duplicate or reordering and p99 <= 50 ms; a step row shows its best held run; " +
                         $"generator = the load generator's CPU % of its core / its core's busy % with everyone's work; generator-bound = past {GeneratorLoad.BoundPercent} % " +
                         "at the held run or the run that ended the search: the held rate is then the generator's limit, compare CPU per M at fixed load instead)");
        var table = new MarkdownTable("server", "clients/senders", "msgs/s", "deliveries/s", "p50 ms", "p90 ms", "p99 ms", "max ms",
            "lost/dup/ooo", "server RSS MiB", "server CPU s per M deliveries", "generator %", "note");
        foreach (var step in steps)
        {
            if (step.Held is { } held) AddRun(table, held, $"{MarkdownTable.Number(step.HeldRate)} held", GeneratorLoad.Note(step.Generator));
            else table.Add(Server(step), $"{step.Clients}/{step.Senders}", "none held", $"failed from {MarkdownTable.Number(step.FirstFailedRate)} msgs/s", "", "", "", "", "", "", "", "",
                GeneratorLoad.Note(step.Generator));
        }
        foreach (var run in runs) AddRun(table, run, MarkdownTable.Number(run.OfferedRate) + (run.Held ? "" : " (not held)"), GeneratorLoad.Note(run.Generator));
        table.WriteTo(output);
    }

    /// <summary>The runs at a fixed offered load: what a delivery costs each server when all are offered the same, whatever limits the held rates.</summary>
    private static void PrintFixedLoad(List<FanoutResult> runs, TextWriter output)
    {
        if (runs.Count == 0) return;
        output.WriteLine("Server CPU per million deliveries at fixed offered loads (the fair comparison when the generator limits the held rate)");
        var table = new MarkdownTable("server", "clients/senders", "offered deliveries/s", "msgs/s", "deliveries/s", "p99 ms", "lost/dup/ooo",
            "server CPU s per M deliveries", "generator %", "note");
        foreach (var r in runs.OrderBy(r => r.Clients).ThenBy(r => r.FixedDeliveriesPerSecond).ThenBy(r => Server(r), StringComparer.Ordinal))
        {
            table.Add(Server(r), $"{r.Clients}/{r.Senders}", MarkdownTable.Number(r.FixedDeliveriesPerSecond!.Value), MarkdownTable.Number(r.OfferedRate),
                MarkdownTable.Number(r.DeliveriesPerSecond), MarkdownTable.Fixed(r.Latency.P99Ms, "0.00"), $"{r.Lost}/{r.Duplicates}/{r.OutOfOrder}",
                MarkdownTable.Fixed(r.CpuSecondsPerMillionDeliveries, "0.00"), GeneratorPercent(r.LoadGeneratorCpuPercent, r.GeneratorCoreBusyPercent),
                r.Clean ? GeneratorLoad.Note(r.Generator) : "not clean: the server did not carry this load");
        }
        table.WriteTo(output);
    }

    private static void AddRun(MarkdownTable table, FanoutResult r, string rate, string note) =>
        table.Add(Server(r), $"{r.Clients}/{r.Senders}", rate, MarkdownTable.Number(r.DeliveriesPerSecond),
            MarkdownTable.Fixed(r.Latency.P50Ms, "0.00"), MarkdownTable.Fixed(r.Latency.P90Ms, "0.00"), MarkdownTable.Fixed(r.Latency.P99Ms, "0.00"), MarkdownTable.Fixed(r.Latency.MaxMs, "0.0"),
            $"{r.Lost}/{r.Duplicates}/{r.OutOfOrder}", $"{r.Server.RssBeforeKiB / 1024.0:0} -> {r.Server.RssAfterKiB / 1024.0:0}",
            MarkdownTable.Fixed(r.CpuSecondsPerMillionDeliveries, "0.00"), GeneratorPercent(r.LoadGeneratorCpuPercent, r.GeneratorCoreBusyPercent), note);

    /// <summary><c>96 / 99</c>: the generator's own share of its core, then the core's busy share (older results have only the first).</summary>
    private static string GeneratorPercent(double? own, double? core) =>
        own is null ? "-" : MarkdownTable.Fixed(own.Value, "0") + (core is { } busy ? " / " + MarkdownTable.Fixed(busy, "0") : "");

    private static void PrintIdle(List<IdleResult> results, TextWriter output)
    {
        if (results.Count == 0) return;
        output.WriteLine("Idle signed-in connections");
        var table = new MarkdownTable("server", "connections", "connected", "connect s", "server RSS MiB before -> after", "KiB per connection");
        foreach (var r in results)
        {
            table.Add(Server(r), r.Connections.ToString(), r.Connected.ToString(), MarkdownTable.Fixed(r.ConnectSeconds, "0.0"),
                $"{r.RssBeforeKiB / 1024.0:0} -> {r.RssAfterKiB / 1024.0:0}", MarkdownTable.Fixed(r.KiBPerConnection, "0.0"));
        }
        table.WriteTo(output);
    }

    private static void PrintConnect(List<ConnectResult> results, TextWriter output)
    {
        if (results.Count == 0) return;
        output.WriteLine("Connect storm (all clients at once)");
        var table = new MarkdownTable("server", "sign-in", "clients", "failures", "wall s", "per client p50 ms", "p99 ms", "max ms", "server CPU ms per sign-in",
            "generator %", "note");
        foreach (var r in results)
        {
            table.Add(Server(r), r.Path, r.Clients.ToString(), r.Failures.ToString(), MarkdownTable.Fixed(r.WallSeconds, "0.00"),
                MarkdownTable.Fixed(r.PerClient.P50Ms, "0"), MarkdownTable.Fixed(r.PerClient.P99Ms, "0"), MarkdownTable.Fixed(r.PerClient.MaxMs, "0"),
                MarkdownTable.Fixed(r.ServerCpuMsPerSignIn, "0.00"), GeneratorPercent(r.LoadGeneratorCpuPercent, r.GeneratorCoreBusyPercent), GeneratorLoad.Note(r.Generator));
        }
        table.WriteTo(output);
    }

    /// <summary>
    /// Per room size: each server's held deliveries/s divided by each other server's (above 1: the row is faster).
    /// A generator-bound server is starred: its figure is the generator's limit, so a ratio with it compares the generator.
    /// </summary>
    private static void PrintFanoutRatios(List<FanoutStepResult> steps, TextWriter output)
    {
        foreach (var size in steps.GroupBy(s => (s.Clients, s.Senders)))
        {
            var servers = size.ToList();
            if (servers.Count < 2) continue;
            output.WriteLine($"Ratios, held deliveries/s at {size.Key.Clients} clients / {size.Key.Senders} senders (row / column; * generator-bound: not a comparison of servers)");
            PrintMatrix(servers.Select(s => (Server(s) + (s.Generator == GeneratorState.Free ? "" : " *"), s.HeldDeliveriesPerSecond)).ToList(), output);
        }
    }

    /// <summary>Memory per idle connection, row / column (below 1: the row needs less).</summary>
    private static void PrintIdleRatios(List<IdleResult> results, TextWriter output)
    {
        if (results.Count < 2) return;
        output.WriteLine("Ratios, KiB per idle connection (row / column)");
        PrintMatrix(results.Select(r => (Server(r), r.KiBPerConnection)).ToList(), output);
    }

    private static void PrintMatrix(List<(string Name, double Value)> values, TextWriter output)
    {
        var table = new MarkdownTable(["", "value", .. values.Select(v => "vs " + v.Name)]);
        foreach (var row in values)
        {
            table.Add([row.Name, MarkdownTable.Number(row.Value), .. values.Select(column => column.Value > 0 ? MarkdownTable.Fixed(row.Value / column.Value, "0.00") : "-")]);
        }
        table.WriteTo(output);
    }
}
