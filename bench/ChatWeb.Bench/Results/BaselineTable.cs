using ChatWeb.Bench.Measuring;

namespace ChatWeb.Bench.Results;

/// <summary>One line of the comparison: a scenario and measure, the runs of each side, how it improves, and whether the generator's limit decides it.</summary>
internal sealed record BaselineRow(string Scenario, string Measure, Better Better, bool GeneratorDecides, List<Measured> Base, List<Measured> Current)
{
    public Verdict Verdict => BaselineVerdict.Judge(Base, Current, Better, GeneratorDecides);
}

/// <summary>
/// <c>report --compare BASE,CURRENT</c>: the scenarios that both targets ran (bench/run.sh --baseline runs them
/// interleaved), side by side, with a verdict per measure.
/// </summary>
internal static class BaselineTable
{
    public static void Print(IReadOnlyList<RunResult> results, string baseTarget, string currentTarget, TextWriter output)
    {
        var rows = Rows(results, baseTarget, currentTarget);
        output.WriteLine($"Against the base: {currentTarget} / {baseTarget} (medians when a scenario ran more than once; ok = within " +
                         $"{BaselineVerdict.Tolerance:0%} of the base or better; generator = its CPU % of its core, base / current; * = past {GeneratorLoad.BoundPercent} %)");
        var table = new MarkdownTable("scenario", "measure", "base", "current", "current / base", "verdict", "runs", "generator %");
        foreach (var row in rows)
        {
            var verdict = row.Verdict;
            table.Add(row.Scenario, row.Measure, Value(row.Base), Value(row.Current),
                verdict.Ratio is { } ratio ? MarkdownTable.Fixed(ratio, "0.00") : "-", verdict.Text,
                $"{row.Base.Count} / {row.Current.Count}", $"{Generator(row.Base)} / {Generator(row.Current)}");
        }
        table.WriteTo(output);
        var worse = rows.Count(r => r.Verdict.Text == BaselineVerdict.Worse);
        var unjudged = rows.Count(r => r.Verdict.Text.StartsWith("not judged", StringComparison.Ordinal));
        output.WriteLine($"{rows.Count - worse - unjudged} ok, {worse} worse, {unjudged} not judged.");
        output.WriteLine();
    }

    /// <summary>Every measure either target has, in the order the scenarios first appear.</summary>
    internal static List<BaselineRow> Rows(IReadOnlyList<RunResult> results, string baseTarget, string currentTarget)
    {
        var rows = new Dictionary<(string, string), BaselineRow>();
        var steps = results.OfType<FanoutStepResult>().ToList();
        foreach (var result in results)
        {
            var side = result.Target == baseTarget ? 0 : result.Target == currentTarget ? 1 : -1;
            if (side < 0) continue;
            foreach (var (scenario, measure, better, generatorDecides, value) in Measures(result, steps))
            {
                var key = (scenario, measure);
                if (!rows.TryGetValue(key, out var row)) rows[key] = row = new BaselineRow(scenario, measure, better, generatorDecides, [], []);
                (side == 0 ? row.Base : row.Current).Add(value);
            }
        }
        return rows.Values.ToList();
    }

    private static IEnumerable<(string Scenario, string Measure, Better Better, bool GeneratorDecides, Measured Value)> Measures(
        RunResult result, List<FanoutStepResult> steps)
    {
        switch (result)
        {
            case FanoutStepResult step:
                var held = step.Held;
                var percent = Math.Max(held?.LoadGeneratorCpuPercent ?? 0, step.FirstFailed?.LoadGeneratorCpuPercent ?? 0);
                yield return ($"fanout {step.Transport} {step.Clients}/{step.Senders}", "held deliveries/s", Better.Higher, true,
                    new Measured(step.HeldDeliveriesPerSecond, held is not null, step.Generator, percent));
                break;
            case FanoutResult { FixedDeliveriesPerSecond: { } fixedLoad } run:
                yield return ($"fanout {run.Transport} {run.Clients}/{run.Senders}", $"server CPU s per M deliveries at {MarkdownTable.Number(fixedLoad)}/s",
                    Better.Lower, false, new Measured(run.CpuSecondsPerMillionDeliveries, run.Clean, run.Generator, run.LoadGeneratorCpuPercent));
                break;
            case FanoutResult run when !steps.Any(s => s.Target == run.Target && s.Transport == run.Transport && s.Clients == run.Clients && s.Senders == run.Senders):
                // A single run at one rate (--quick): what it costs, since a clean run delivers what was offered on both sides.
                yield return ($"fanout {run.Transport} {run.Clients}/{run.Senders}", $"server CPU s per M deliveries at {MarkdownTable.Number(run.OfferedRate)} msgs/s",
                    Better.Lower, false, new Measured(run.CpuSecondsPerMillionDeliveries, run.Clean, run.Generator, run.LoadGeneratorCpuPercent));
                break;
            case IdleResult idle:
                yield return ($"idle {idle.Transport} {idle.Connections}", "server RSS KiB per connection", Better.Lower, false,
                    new Measured(idle.KiBPerConnection, idle.Connected == idle.Connections, GeneratorState.Free));
                break;
            case ConnectResult connect:
                var scenario = $"connect {connect.Transport} {connect.Path} {connect.Clients}";
                yield return (scenario, "wall s", Better.Lower, true,
                    new Measured(connect.WallSeconds, connect.Failures == 0, connect.Generator, connect.LoadGeneratorCpuPercent));
                yield return (scenario, "server CPU ms per sign-in", Better.Lower, false,
                    new Measured(connect.ServerCpuMsPerSignIn, connect.Failures == 0, connect.Generator, connect.LoadGeneratorCpuPercent));
                break;
        }
    }

    private static string Value(List<Measured> runs) =>
        runs.Count == 0 ? "-" : MarkdownTable.Number(BaselineVerdict.Median(runs.Select(r => r.Value))) + (runs.All(r => r.Valid) ? "" : " (failed)");

    /// <summary>The highest generator load among a side's runs, starred when past the limit.</summary>
    private static string Generator(List<Measured> runs)
    {
        var percents = runs.Where(r => r.GeneratorPercent is not null).ToList();
        if (percents.Count == 0) return "-";
        var star = runs.Any(r => r.Generator != GeneratorState.Free) ? "*" : "";
        return MarkdownTable.Fixed(percents.Max(r => r.GeneratorPercent!.Value), "0") + star;
    }
}
