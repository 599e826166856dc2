using System.Globalization;

namespace ChatWeb.Bench.Measuring;

/// <summary>A point-in-time reading of the server under test: resident memory and CPU time used so far.</summary>
internal readonly record struct ProcessSample(long RssKiB, double CpuSeconds);

/// <summary>
/// Reads the server under test from /proc: VmRSS and Threads from <c>status</c>, utime + stime from <c>stat</c>,
/// open handles from <c>fd</c>. Linux only, like the rest of the benchmark.
/// </summary>
internal sealed class ServerProcess(int pid)
{
    // USER_HZ: the unit of utime and stime. Fixed at 100 on every Linux architecture .NET runs on.
    private const double ClockTicksPerSecond = 100;

    public int Pid => pid;

    public bool IsAlive => Directory.Exists($"/proc/{pid}");

    public ProcessSample Sample() => new(ReadStatusNumber("VmRSS:"), ReadCpuSeconds());

    /// <summary>Open file descriptors: sockets, files, pipes, epoll and timer handles. A leaked connection shows up here first.</summary>
    public int OpenHandles() => CountEntries($"/proc/{pid}/fd");

    public int Threads() => (int)ReadStatusNumber("Threads:");

    private long ReadStatusNumber(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal)) return ParseStatusNumber(line);
        }
        throw new InvalidOperationException($"/proc/{pid}/status has no {field} line");
    }

    private double ReadCpuSeconds() => ParseStatCpuSeconds(File.ReadAllText($"/proc/{pid}/stat"));

    /// <summary>Entries of a folder, counted without reading them (those of /proc/pid/fd are links that may point nowhere).</summary>
    internal static int CountEntries(string directory) => Directory.EnumerateFileSystemEntries(directory).Count();

    /// <summary><c>VmRSS:	  123456 kB</c> -> 123456 (KiB); <c>Threads:	23</c> -> 23.</summary>
    internal static long ParseStatusNumber(string line)
    {
        var value = line.AsSpan(line.IndexOf(':') + 1).Trim();
        var space = value.IndexOf(' ');
        return long.Parse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Fields 14 and 15 of /proc/pid/stat (utime, stime), counted after the command name, which is in
    /// parentheses and may itself hold spaces.
    /// </summary>
    internal static double ParseStatCpuSeconds(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        var utime = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
        return (utime + stime) / ClockTicksPerSecond;
    }
}
