namespace ChatWeb.Server.Memory;

/// <summary>
/// Decides, from samples of the process's CPU time and allocation counter, when to hand memory back: once the
/// server has been quiet (under <see cref="QuietCpuShare"/> of one core) for the quiet time, and only when
/// more was allocated since the last trim (or since the process started) than is live, and at least the
/// threshold: then a trim at least halves what the garbage could hold. So an idle server is trimmed once per
/// burst, and a light chat rarely (the pause of a full collection grows with what is live, and so does the
/// allocation a trim waits for). A busy server is never trimmed: no trim pauses a room that is talking hard,
/// and the GC's own collections keep up there.
/// </summary>
internal sealed class QuietTrimPolicy(TimeSpan quietTime, long thresholdBytes)
{
    /// <summary>The share of one core under which the server counts as quiet: timers, pings and probes, no chat to speak of.</summary>
    public const double QuietCpuShare = 0.1;

    private static readonly TimeSpan MinimumSpan = TimeSpan.FromMilliseconds(500);

    private bool _started;
    private TimeSpan _lastCpu;
    private TimeSpan _lastSampleAt;
    private TimeSpan _quietSince;
    private long _allocatedAtTrim;

    /// <summary>One sample at <paramref name="now"/>; true when it is time to trim.</summary>
    /// <param name="cpuTime">The process's CPU time so far.</param>
    /// <param name="allocatedBytes">The process's total allocated bytes so far.</param>
    /// <param name="liveBytes">The heap's size after the last collection (0 before the first).</param>
    public bool ShouldTrim(TimeSpan cpuTime, long allocatedBytes, long liveBytes, TimeSpan now)
    {
        if (!_started)
        {
            _started = true;
            (_lastCpu, _lastSampleAt, _quietSince) = (cpuTime, now, now);
            return false;
        }

        // Ticks that come bunched up (a timer late under load) measure too short a time to tell; wait for the next.
        if (now - _lastSampleAt < MinimumSpan) return false;
        var busy = (cpuTime - _lastCpu).TotalSeconds > QuietCpuShare * (now - _lastSampleAt).TotalSeconds;
        (_lastCpu, _lastSampleAt) = (cpuTime, now);
        if (busy)
        {
            _quietSince = now;
            return false;
        }
        if (now - _quietSince < quietTime || allocatedBytes - _allocatedAtTrim < Math.Max(thresholdBytes, liveBytes)) return false;

        _allocatedAtTrim = allocatedBytes;
        return true;
    }
}
