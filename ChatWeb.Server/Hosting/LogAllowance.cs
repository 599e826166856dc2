namespace ChatWeb.Server.Hosting;

/// <summary>
/// Decides which of the events that anyone can cause for free (a TCP connection that never signs in, a request
/// refused for its Origin) get their own log lines: the first <see cref="LinesPerMinute"/> of each minute. Without
/// it a port scanner or a flood writes the log as fast as it connects, and with the log's size limit pushes every
/// older entry out; the rest of the minute is counted and summed up in one line when the minute is over.
/// </summary>
internal partial class LogAllowance(TimeProvider time, ILogger logger, string what) : IDisposable
{
    public const int LinesPerMinute = 20;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private long _windowStart = long.MinValue;
    private int _logged;
    private int _suppressed;
    private ITimer? _summary;

    /// <summary>True when this connection's lines should be logged; false when it is only counted.</summary>
    public bool ShouldLog()
    {
        var endedWindow = 0;
        try
        {
            lock (_gate)
            {
                var now = time.GetTimestamp();
                if (_windowStart == long.MinValue || time.GetElapsedTime(_windowStart, now) >= Window)
                {
                    // The last window's summary is said now if its timer has not said it yet.
                    endedWindow = TakeSuppressed();
                    _windowStart = now;
                    _logged = 0;
                }
                if (_logged < LinesPerMinute)
                {
                    _logged++;
                    return true;
                }
                // The summary comes when this window ends, whether or not anyone connects after it.
                if (_suppressed++ == 0) _summary = time.CreateTimer(_ => Summarize(), null, Window - time.GetElapsedTime(_windowStart, now), Timeout.InfiniteTimeSpan);
                return false;
            }
        }
        finally
        {
            if (endedWindow > 0) LogSuppressed(logger, endedWindow, what);
        }
    }

    private void Summarize()
    {
        int suppressed;
        lock (_gate) suppressed = TakeSuppressed();
        if (suppressed > 0) LogSuppressed(logger, suppressed, what);
    }

    private int TakeSuppressed()
    {
        var suppressed = _suppressed;
        _suppressed = 0;
        _summary?.Dispose();
        _summary = null;
        return suppressed;
    }

    public void Dispose()
    {
        lock (_gate) _summary?.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "{Count} more {What} in the last minute (the first 20 of each minute are logged one by one)")]
    private static partial void LogSuppressed(ILogger logger, int count, string what);
}

/// <summary>The lines of TCP connections that have not signed in (opened, closed, refused, timed out).</summary>
internal sealed class UnauthenticatedConnectionLog(TimeProvider time, ILogger<UnauthenticatedConnectionLog> logger)
    : LogAllowance(time, logger, "unauthenticated TCP connections");
