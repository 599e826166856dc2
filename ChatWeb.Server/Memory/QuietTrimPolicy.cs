namespace ChatWeb.Server.Memory;

/// <summary>
/// Decides, from samples of the process's allocation counter, when to hand memory back: once the server has
/// been quiet (allocating under <see cref="QuietBytesPerSecond"/>) for the quiet time, and only when more was
/// allocated since the last trim (or since the process started) than is live, and at least the threshold: then
/// a trim at least halves what the garbage could hold. So an idle server is trimmed once per burst, and a light
/// chat rarely (the pause of a full collection grows with what is live, and so does the allocation a trim
/// waits for). A busy server is never trimmed: no trim pauses a room that is talking, and the GC's own
/// collections keep up there.
/// <para>
/// Quiet is measured in allocation, not CPU: after a burst the runtime itself stays busy for a few seconds
/// (its background collection, the JIT's second tier) without allocating anything, and that is no reason to wait.
/// </para>
/// </summary>
internal sealed class QuietTrimPolicy(TimeSpan quietTime, long thresholdBytes)
{
    /// <summary>What a server with nobody talking still allocates (keep-alive pings, probes, an open admin page).</summary>
    public const long QuietBytesPerSecond = 1024 * 1024;

    private static readonly TimeSpan MinimumSpan = TimeSpan.FromMilliseconds(500);

    private bool _started;
    private long _lastAllocated;
    private TimeSpan _lastSampleAt;
    private TimeSpan _quietSince;
    private long _allocatedAtTrim;

    /// <summary>One sample at <paramref name="now"/>; true when it is time to trim.</summary>
    /// <param name="allocatedBytes">The process's total allocated bytes so far.</param>
    /// <param name="liveBytes">The heap's size after the last collection (0 before the first).</param>
    public bool ShouldTrim(long allocatedBytes, long liveBytes, TimeSpan now)
    {
        if (!_started)
        {
            _started = true;
            (_lastAllocated, _lastSampleAt, _quietSince) = (allocatedBytes, now, now);
            return false;
        }

        // Ticks that come bunched up (a timer late under load) measure too short a time to tell; wait for the next.
        if (now - _lastSampleAt < MinimumSpan) return false;
        var busy = allocatedBytes - _lastAllocated > QuietBytesPerSecond * (now - _lastSampleAt).TotalSeconds;
        (_lastAllocated, _lastSampleAt) = (allocatedBytes, now);
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
