using System.Text;
using System.Text.RegularExpressions;
using ChatWeb.Server.Hosting;

namespace ChatWeb.Server.AdminLog;

/// <summary>One log event as the log page shows it: its time, level (INF, WRN...) and text, exception lines included.</summary>
public sealed record LogEntry(string Time, string Level, string Text);

/// <summary>Reads the newest entries of log.txt (and, just after a roll, log.1.txt), for the log page (which also works without JavaScript, on reload).</summary>
public sealed partial class LogTail(RollingLogFile file)
{
    // Enough bytes for a few hundred entries with stack traces; the files themselves can be much larger.
    private const int TailBytes = 512 * 1024;

    public static readonly string[] Levels = ["VRB", "DBG", "INF", "WRN", "ERR", "FTL"];

    /// <summary>Up to <paramref name="count"/> entries, newest first, optionally only those of one level.</summary>
    public IReadOnlyList<LogEntry> Newest(int count, string? level = null)
    {
        var text = file.Tail(TailBytes);
        var entries = new List<LogEntry>();
        foreach (var line in text.Split('\n'))
        {
            if (Parse(line) is { } entry) entries.Add(entry);
            else if (entries.Count > 0 && line.Length > 0) entries[^1] = entries[^1] with { Text = entries[^1].Text + "\n" + line.TrimEnd('\r') };
        }
        return entries
            .Where(e => level is null || e.Level == level)
            .Reverse()
            .Take(count)
            .ToList();
    }

    /// <summary>A line that starts an entry ("2026-11-22 01:07:24.120 [INF] Source: text"), or null for a continuation line.</summary>
    public static LogEntry? Parse(string line)
    {
        var match = EntryStart().Match(line.TrimEnd('\r'));
        return match.Success ? new LogEntry(match.Groups["time"].Value, match.Groups["level"].Value, match.Groups["text"].Value) : null;
    }

    [GeneratedRegex(@"^(?<time>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \[(?<level>[A-Z]{3})\] (?<text>.*)$")]
    private static partial Regex EntryStart();
}
