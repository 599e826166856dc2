using System.Globalization;
using System.Text.Json.Serialization;

namespace ChatWeb.Bench.Measuring;

/// <summary>
/// The load generator over one measured interval. <see cref="CpuPercentPerCore"/>: its own CPU time over the
/// wall time of the cores it may run on (run.sh pins it to one core, where this is exactly that core's share it
/// used). <see cref="BusiestCorePercent"/>: the busiest of those cores by /proc/stat, whoever used it
/// (neighbours included); null when /proc/stat could not be read.
/// </summary>
internal readonly record struct GeneratorUsage(double CpuPercentPerCore, int Cores, double? BusiestCorePercent);

/// <summary>Whether a point measured the servers, or the generator's own limit.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GeneratorState>))]
internal enum GeneratorState
{
    /// <summary>The generator's core had room: the point measures the server.</summary>
    Free,

    /// <summary>The generator itself kept its core busy past <see cref="GeneratorLoad.BoundPercent"/>.</summary>
    Bound,

    /// <summary>Its core was that busy, but with other processes' work: the generator had to wait for it just the same.</summary>
    Crowded,
}

/// <summary>The rule that marks a point as measuring the load generator rather than the server (docs/performance.md, "When the bench measures itself").</summary>
internal static class GeneratorLoad
{
    /// <summary>
    /// Past this share of its core the generator's own queueing shows in the latency it measures. On the quiet
    /// 2026-11-22 run the held rate stopped following the server from about 90 % (ChatWeb's TCP gateway missed the
    /// 50 ms p99 at 1,000 clients with the generator at 91-100 % while delivering everything offered up to 4 M/s);
    /// 85 leaves room for the bursts a whole-run average hides. The calibration: docs/performance.md, "When the
    /// bench measures itself".
    /// </summary>
    public const double BoundPercent = 85;

    public static GeneratorState Classify(double ownPercentPerCore, double? busiestCorePercent) =>
        ownPercentPerCore >= BoundPercent ? GeneratorState.Bound
        : busiestCorePercent >= BoundPercent ? GeneratorState.Crowded
        : GeneratorState.Free;

    /// <summary>What a table says about a point: nothing when the generator had room.</summary>
    public static string Note(GeneratorState state) => state switch
    {
        GeneratorState.Bound => "generator-bound",
        GeneratorState.Crowded => "generator core crowded",
        _ => "",
    };
}

/// <summary>Measures <see cref="GeneratorUsage"/> between <see cref="Start"/> and <see cref="Stop"/>.</summary>
internal sealed class GeneratorMeter
{
    private readonly int[] _cores = AllowedCores();
    private TimeSpan _cpuBefore;
    private long _wallBefore;
    private Dictionary<int, CoreTimes>? _coresBefore;

    public static GeneratorMeter Start()
    {
        var meter = new GeneratorMeter();
        meter._coresBefore = ReadCores();
        meter._cpuBefore = Environment.CpuUsage.TotalTime;
        meter._wallBefore = LatencyClock.Now();
        return meter;
    }

    public GeneratorUsage Stop()
    {
        var cpuSeconds = (Environment.CpuUsage.TotalTime - _cpuBefore).TotalSeconds;
        var wallSeconds = LatencyClock.Microseconds(LatencyClock.Now() - _wallBefore) / 1e6;
        var coresAfter = ReadCores();
        return new GeneratorUsage(
            Math.Round(PercentPerCore(cpuSeconds, wallSeconds, _cores.Length), 1),
            _cores.Length,
            _coresBefore is null || coresAfter is null ? null : Math.Round(BusiestCorePercent(_coresBefore, coresAfter, _cores), 1));
    }

    /// <summary>CPU seconds used over the seconds the allowed cores had between them, as a percentage.</summary>
    internal static double PercentPerCore(double cpuSeconds, double wallSeconds, int cores) =>
        wallSeconds <= 0 || cores <= 0 ? 0 : 100 * cpuSeconds / (wallSeconds * cores);

    /// <summary>The highest busy share among <paramref name="cores"/> between two readings of /proc/stat.</summary>
    internal static double BusiestCorePercent(IReadOnlyDictionary<int, CoreTimes> before, IReadOnlyDictionary<int, CoreTimes> after, IEnumerable<int> cores)
    {
        double busiest = 0;
        foreach (var core in cores)
        {
            if (!before.TryGetValue(core, out var b) || !after.TryGetValue(core, out var a)) continue;
            var total = a.Total - b.Total;
            if (total > 0) busiest = Math.Max(busiest, 100.0 * (a.Busy - b.Busy) / total);
        }
        return busiest;
    }

    /// <summary>
    /// The <c>cpuN</c> lines of /proc/stat. Busy is everything but idle and iowait; steal counts as busy, since a
    /// virtual core the hypervisor gave to someone else was no more available to the generator than a busy one.
    /// </summary>
    internal static Dictionary<int, CoreTimes> ParseProcStat(string stat)
    {
        var cores = new Dictionary<int, CoreTimes>();
        foreach (var line in stat.Split('\n'))
        {
            if (!line.StartsWith("cpu", StringComparison.Ordinal) || line.Length < 4 || !char.IsAsciiDigit(line[3])) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var values = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal
            var idle = values[3] + (values.Length > 4 ? values[4] : 0);
            var total = values.Sum();
            cores[int.Parse(fields[0].AsSpan(3), CultureInfo.InvariantCulture)] = new CoreTimes(total - idle, total);
        }
        return cores;
    }

    /// <summary><c>Cpus_allowed_list</c> of /proc/self/status: <c>1</c>, <c>0-1</c>, <c>0,2-3</c>.</summary>
    internal static int[] ParseCpuList(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .SelectMany(part => part.Split('-') is [var from, var to]
                ? Enumerable.Range(int.Parse(from, CultureInfo.InvariantCulture), int.Parse(to, CultureInfo.InvariantCulture) - int.Parse(from, CultureInfo.InvariantCulture) + 1)
                : [int.Parse(part, CultureInfo.InvariantCulture)])
            .ToArray();

    private static int[] AllowedCores()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
            if (line is not null) return ParseCpuList(line["Cpus_allowed_list:".Length..]);
        }
        catch (IOException)
        {
        }
        return Enumerable.Range(0, Environment.ProcessorCount).ToArray();
    }

    private static Dictionary<int, CoreTimes>? ReadCores()
    {
        try
        {
            return ParseProcStat(File.ReadAllText("/proc/stat"));
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>One core's cumulative clock ticks from /proc/stat: busy, and all.</summary>
internal readonly record struct CoreTimes(long Busy, long Total);
