using ChatWeb.Server.AdminLog;
using ChatWeb.Server.Control;
using ChatWeb.Server.Hosting;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Hosting;

/// <summary>
/// log.txt rolls by size to log.1.txt, log.2.txt ...; at most Logging:RetainedFiles files stay, logging goes on
/// after every roll, clearing the logs empties them all, and the log page's tail shows the newest entries.
/// </summary>
public sealed class LogRollingTests() : ServerTest(new Dictionary<string, string?>
{
    // 4 KiB: a few dozen entries per file.
    ["Logging:FileSizeLimitMiB"] = "0.00390625",
    ["Logging:RetainedFiles"] = "3",
})
{
    private const long LimitBytes = 4096;

    private ServerControl Control => App.Get<ServerControl>();
    private ServerLogs Logs => App.Get<ServerLogs>();

    private string LogFile => Path.Combine(App.DataDirectory, "log.txt");

    [Fact]
    public async Task TheLogRollsBySizeKeepsAtMostRetainedFilesAndGoesOnLoggingInLogTxt()
    {
        // Each pair of actions logs four entries (the operator's two, the gateway's two) of about 90 bytes: 200 pairs
        // are some 70 KB, many times the limit.
        for (var i = 0; i < 200; i++)
        {
            LogPair(i);
            // Between rolls too: whoever tails log.txt never finds it missing.
            Assert.True(File.Exists(LogFile), $"log.txt missing after pair {i}");
        }
        LogPair(999);

        var files = LogFiles();
        Assert.Equal(["log.1.txt", "log.2.txt", "log.txt"], files);
        // Each file is rolled at the first entry that reaches the limit, so none is much over it.
        Assert.All(files.Take(2), name => Assert.InRange(new FileInfo(Path.Combine(App.DataDirectory, name)).Length, LimitBytes, LimitBytes + 1024));
        var current = await ServerLog.TextAsync(LogFile);
        Assert.Contains("Operator pair-999 resumed the server", current);
        Assert.DoesNotContain("Operator pair-0 ", current);
        // Nothing lost at a roll: the newest entries run on from log.2.txt to log.1.txt to log.txt.
        var all = string.Concat(new[] { "log.2.txt", "log.1.txt", "log.txt" }.Select(f => File.ReadAllText(Path.Combine(App.DataDirectory, f))));
        var pairs = System.Text.RegularExpressions.Regex.Matches(all, @"Operator pair-(\d+) paused").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(pairs[0], 200 - pairs[0]).Append(999), pairs);
    }

    [Fact]
    public void ClearingTheLogsEmptiesLogTxtDeletesTheRolledFilesAndLoggingGoesOn()
    {
        for (var i = 0; i < 100; i++) LogPair(i);
        Assert.Contains("log.1.txt", LogFiles());

        Assert.True(Logs.ClearLogs("clearing-test").Succeeded);

        Assert.Equal(["log.txt"], LogFiles());
        var after = File.ReadAllText(LogFile);
        Assert.DoesNotContain("pair-", after);
        Assert.Contains("Operator clearing-test cleared the logs", after);
        LogPair(1000);
        Assert.Contains("Operator pair-1000 resumed the server", File.ReadAllText(LogFile));
        Assert.DoesNotContain('\0', File.ReadAllText(LogFile));
    }

    [Fact]
    public void TheLogPageTailShowsTheNewestEntriesAcrossARoll()
    {
        var tail = App.Get<LogTail>();
        for (var i = 0; i < 300; i++)
        {
            LogPair(i);
            // Right after a roll log.txt holds one entry or none: the tail still has the newest ones, in order.
            // (Operator actions are the warnings; the gateway's own pause and resume lines come between them.)
            var newest = tail.Newest(2, "WRN").Select(e => e.Text).ToList();
            Assert.Equal(2, newest.Count);
            Assert.EndsWith($"Operator pair-{i} resumed the server", newest[0].TrimEnd());
            Assert.EndsWith($"Operator pair-{i} paused the server", newest[1].TrimEnd());
        }
        Assert.Contains("log.2.txt", LogFiles());
    }

    private void LogPair(int number)
    {
        Control.Pause($"pair-{number}");
        Control.Resume($"pair-{number}");
    }

    private List<string> LogFiles() =>
        Directory.GetFiles(App.DataDirectory, "log*.txt").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;
}
