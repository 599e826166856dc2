using System.Text.RegularExpressions;

namespace ChatWeb.Tests.Infrastructure;

/// <summary>Reads a server's log.txt (while the server still writes it) for what must, or must never, be there.</summary>
public static partial class ServerLog
{
    /// <summary>The whole log as it is now.</summary>
    public static async Task<string> TextAsync(string logFile)
    {
        using var reader = Open(logFile);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Waits (up to 10 s) until the log holds <paramref name="text"/>, and returns the whole log then.</summary>
    public static Task<string> WaitForAsync(string logFile, string text) =>
        Wait.ForAsync(async () => await TextAsync(logFile) is var content && content.Contains(text, StringComparison.Ordinal) ? content : null,
            () => $"'{text}' in {logFile}:\n{string.Join('\n', Lines(logFile))}");

    /// <summary>Every line of the log as it is now.</summary>
    public static IReadOnlyList<string> Lines(string logFile)
    {
        using var reader = Open(logFile);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return lines;
    }

    /// <summary>Error and fatal entries, and any mention of an unhandled exception: each line once, first few only.</summary>
    public static IReadOnlyList<string> Problems(string logFile, int max = 10)
    {
        using var reader = Open(logFile);
        var problems = new List<string>();
        var exceptionLines = 0;
        while (reader.ReadLine() is { } line && problems.Count < max)
        {
            if (ErrorEntry().IsMatch(line) || line.Contains("unhandled", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add(line);
                exceptionLines = 6;
            }
            else if (exceptionLines > 0 && !EntryStart().IsMatch(line))
            {
                // The exception and the first frames of its stack, to say what went wrong.
                problems[^1] += "\n" + line;
                exceptionLines--;
            }
            else
            {
                exceptionLines = 0;
            }
        }
        return problems;
    }

    // Shared for reading and writing: the server keeps the file open, and may clear it meanwhile.
    private static StreamReader Open(string logFile) =>
        new(new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[(ERR|FTL)\]")]
    private static partial Regex ErrorEntry();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[")]
    private static partial Regex EntryStart();
}
