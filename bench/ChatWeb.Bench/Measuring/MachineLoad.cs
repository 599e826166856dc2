using System.Globalization;

namespace ChatWeb.Bench.Measuring;

/// <summary>
/// The machine's one-minute load average, from /proc/loadavg: how many tasks wanted a core. Beside a soak's
/// samples it tells a slow minute of the server from a minute when neighbours had the cores.
/// </summary>
internal static class MachineLoad
{
    public static double OneMinute() => ParseOneMinute(File.ReadAllText("/proc/loadavg"));

    /// <summary><c>5.28 9.18 8.65 3/412 29917</c> -> 5.28.</summary>
    internal static double ParseOneMinute(string loadavg) =>
        double.Parse(loadavg.AsSpan(0, loadavg.IndexOf(' ')), CultureInfo.InvariantCulture);
}
