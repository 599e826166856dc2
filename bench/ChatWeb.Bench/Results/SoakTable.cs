using System.Globalization;

namespace ChatWeb.Bench.Results;

/// <summary>
/// A soak for people: a line per sample while it runs; afterwards its time series (a row a minute unless every
/// sample is asked for), its deliveries and errors, and what the server's resources did.
/// </summary>
internal static class SoakTable
{
    private const double SecondsPerRow = 60;

    public static string ProgressLine(SoakSample s) => string.Create(CultureInfo.InvariantCulture,
        $"soak {Clock(s.ElapsedSeconds)} {s.Phase} (load {s.LoadAverage:0.0}): RSS {Mebibytes(s.RssKiB)} MiB, {s.Handles} handles, {s.Threads} threads, CPU {s.CpuSeconds:0.0} s; "
        + $"sent {s.Sent:N0}, delivered {s.Delivered:N0} of {s.Expected:N0} ({s.Outstanding:N0} outstanding); "
        + $"{s.Disconnects} cut off, churn {s.ChurnJoins} in/{s.ChurnFailures} failed, {s.ServerErrorLines} error lines, log {s.LogErrors} ERR/{s.LogWarnings} WRN");

    public static void Print(IReadOnlyList<RunResult> results, TextWriter output, bool everySample)
    {
        var summaries = results.OfType<SoakResult>().ToList();
        var soaks = SplitIntoSoaks(results.OfType<SoakSample>());
        for (var i = 0; i < soaks.Count; i++)
        {
            PrintSeries(Thin(soaks[i], everySample ? 0 : SecondsPerRow), output);
            if (i < summaries.Count) PrintSummary(summaries[i], output);
        }
    }

    /// <summary>Every sample that is not chatting, and the first chatting one in each new period of <paramref name="seconds"/> (0: all).</summary>
    internal static List<SoakSample> Thin(IReadOnlyList<SoakSample> samples, double seconds)
    {
        var kept = new List<SoakSample>();
        foreach (var sample in samples)
        {
            var newPeriod = kept.Count == 0 || seconds <= 0 || Math.Floor(sample.ElapsedSeconds / seconds) > Math.Floor(kept[^1].ElapsedSeconds / seconds);
            if (sample.Phase != SoakPhase.Chatting || newPeriod) kept.Add(sample);
        }
        return kept;
    }

    /// <summary><c>m:ss</c>, minutes past 59 included: 754.2 s is <c>12:34</c>.</summary>
    internal static string Clock(double seconds)
    {
        var whole = (long)Math.Floor(seconds);
        return string.Create(CultureInfo.InvariantCulture, $"{whole / 60}:{whole % 60:00}");
    }

    /// <summary>A results file may hold several soaks; each begins with its baseline sample.</summary>
    private static List<List<SoakSample>> SplitIntoSoaks(IEnumerable<SoakSample> samples)
    {
        var soaks = new List<List<SoakSample>>();
        foreach (var sample in samples)
        {
            if (sample.Phase == SoakPhase.Baseline || soaks.Count == 0) soaks.Add([]);
            soaks[^1].Add(sample);
        }
        return soaks;
    }

    private static void PrintSeries(List<SoakSample> samples, TextWriter output)
    {
        output.WriteLine($"Soak over time: {samples[0].Target}/{samples[0].Transport} (load: the machine's 1-minute load average; counts are cumulative; outstanding = owed but not yet received)");
        var table = new MarkdownTable("time", "phase", "load", "RSS MiB", "handles", "threads", "server CPU s", "sent", "delivered", "outstanding",
            "dup/ooo", "cut off", "churn in/failed", "error lines", "log ERR/WRN");
        foreach (var s in samples)
        {
            table.Add(Clock(s.ElapsedSeconds), s.Phase, MarkdownTable.Fixed(s.LoadAverage, "0.0"), Mebibytes(s.RssKiB), s.Handles.ToString(CultureInfo.InvariantCulture), s.Threads.ToString(CultureInfo.InvariantCulture),
                MarkdownTable.Fixed(s.CpuSeconds), Count(s.Sent), Count(s.Delivered), Count(s.Outstanding), $"{s.Duplicates}/{s.OutOfOrder}",
                s.Disconnects.ToString(CultureInfo.InvariantCulture), $"{s.ChurnJoins}/{s.ChurnFailures}", Count(s.ServerErrorLines), $"{s.LogErrors}/{s.LogWarnings}");
        }
        table.WriteTo(output);
    }

    private static void PrintSummary(SoakResult r, TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Soak summary: {r.Target}/{r.Transport}, {r.Clients} clients sending {r.RatePerClient} msgs/s each for {r.ChatSeconds} s, {r.ChurnClients} more coming and going: {(r.Clean ? "clean" : "NOT clean")}"));
        var deliveries = new MarkdownTable("deliveries expected", "received", "lost", "duplicated", "out of order", "unsent msgs",
            "latency p50/p99/max ms", "cut off", "churn visits/failures", "error lines to clients", "log errors/warnings");
        deliveries.Add(Count(r.Expected), Count(r.Delivered), Count(r.Lost), Count(r.Duplicates), Count(r.OutOfOrder), Count(r.Unsent),
            string.Create(CultureInfo.InvariantCulture, $"{r.Latency.P50Ms:0.0} / {r.Latency.P99Ms:0.0} / {r.Latency.MaxMs:0}"),
            Count(r.Disconnects), $"{r.ChurnJoins}/{r.ChurnFailures}", Count(r.ServerErrorLines), $"{r.LogErrors}/{r.LogWarnings}");
        deliveries.WriteTo(output);

        var resources = new MarkdownTable("server", "alone", "all joined", "mid-chat", "end of chat", "highest", "after all left");
        AddSeries(resources, "RSS MiB", r.RssKiB, Mebibytes);
        AddSeries(resources, "open handles", r.Handles, Count);
        AddSeries(resources, "threads", r.Threads, Count);
        resources.WriteTo(output);

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Server CPU over the chat: {r.ServerCpuSeconds:0.0} s ({100 * r.ServerCpuSeconds / Math.Max(1, r.ChatSeconds):0.0} % of one core); load generator {r.LoadGeneratorCpuPercent:0} % of one core."));
        foreach (var (what, text) in new[] { ("First client error", r.FirstClientError), ("First log error", r.FirstLogError), ("First log warning", r.FirstLogWarning) })
        {
            if (text is not null) output.WriteLine($"{what}: {text}");
        }
        output.WriteLine();
    }

    private static void AddSeries(MarkdownTable table, string name, ResourceSeries series, Func<long, string> format) =>
        table.Add(name, format(series.Baseline), format(series.Joined), format(series.Middle), format(series.Last), format(series.Max), format(series.AfterLeft));

    private static string Mebibytes(long kib) => (kib / 1024.0).ToString("0", CultureInfo.InvariantCulture);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
