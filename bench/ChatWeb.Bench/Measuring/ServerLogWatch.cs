using System.Text;
using System.Text.RegularExpressions;

namespace ChatWeb.Bench.Measuring;

/// <summary>
/// Follows the server's log.txt while it grows, counting error and fatal entries (and any line that mentions an
/// unhandled exception) and warnings, and keeping the first of each to say what went wrong. Each look reads only
/// what was appended since the last one; a line still being written waits for its newline.
/// </summary>
internal sealed partial class ServerLogWatch(string? path)
{
    private long _offset;

    public int Errors { get; private set; }
    public int Warnings { get; private set; }
    public string? FirstError { get; private set; }
    public string? FirstWarning { get; private set; }

    /// <summary>Reads what the server has added to its log; nothing happens without a log to watch.</summary>
    public void Update()
    {
        if (path is null || !File.Exists(path)) return;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        // Shorter than what was read: the log was cleared (an operator's "clear logs"), so it starts again.
        if (stream.Length < _offset) _offset = 0;
        stream.Seek(_offset, SeekOrigin.Begin);
        using var appended = new MemoryStream();
        stream.CopyTo(appended);
        var bytes = appended.GetBuffer().AsSpan(0, (int)appended.Length);
        var complete = bytes.LastIndexOf((byte)'\n') + 1;
        foreach (var line in Encoding.UTF8.GetString(bytes[..complete]).Split('\n')) Count(line);
        _offset += complete;
    }

    private void Count(string line)
    {
        var level = EntryLevel().Match(line) is { Success: true } entry ? entry.Groups[1].Value : null;
        if (level is "ERR" or "FTL" || line.Contains("unhandled", StringComparison.OrdinalIgnoreCase))
        {
            Errors++;
            FirstError ??= line;
        }
        else if (level == "WRN")
        {
            Warnings++;
            FirstWarning ??= line;
        }
    }

    // ChatWeb's log template: "2026-11-22 04:16:09.123 [ERR] Source: text".
    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[(\w{3})\]")]
    private static partial Regex EntryLevel();
}
