using ChatWeb.Server.Hosting;
using ChatWeb.Server.Gateway;
using Microsoft.Extensions.Logging;

namespace ChatWeb.Tests.Gateway;

/// <summary>The connections not logged one by one are summed up in one line when their minute is over.</summary>
public sealed class UnauthenticatedConnectionSummaryTests
{
    [Fact]
    public void TheFirstTwentyOfAMinuteAreLoggedAndTheRestSummedUpWhenTheMinuteEnds()
    {
        var time = new ManualTime();
        var logger = new LinesLogger();
        using var log = new UnauthenticatedConnectionLog(time, logger);

        var decisions = Enumerable.Range(0, 25).Select(_ => log.ShouldLog()).ToList();
        Assert.Equal(Enumerable.Repeat(true, 20).Concat(Enumerable.Repeat(false, 5)), decisions);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(logger.Lines);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["5 more unauthenticated TCP connections in the last minute (the first 20 of each minute are logged one by one)"], logger.Lines);
        // A new minute: logged one by one again, and nothing more to sum up.
        Assert.True(log.ShouldLog());
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Single(logger.Lines);
    }

    [Fact]
    public void AMinuteThatEndsWithAConnectionBeforeItsTimerIsSummedUpOnce()
    {
        var time = new ManualTime();
        var logger = new LinesLogger();
        using var log = new UnauthenticatedConnectionLog(time, logger);
        for (var i = 0; i < 23; i++) log.ShouldLog();

        time.Skip(TimeSpan.FromMinutes(1));
        Assert.True(log.ShouldLog());
        time.Advance(TimeSpan.Zero);

        Assert.Equal(["3 more unauthenticated TCP connections in the last minute (the first 20 of each minute are logged one by one)"], logger.Lines);
    }

    /// <summary>A clock that moves only when told; <see cref="Advance"/> fires the timers that come due, <see cref="Skip"/> does not.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private readonly List<ManualTimer> _timers = [];
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;

        public void Skip(TimeSpan by) => _ticks += by.Ticks;

        public void Advance(TimeSpan by)
        {
            _ticks += by.Ticks;
            foreach (var timer in _timers.Where(t => t.DueAt is { } due && due <= _ticks).ToList())
            {
                timer.DueAt = null;
                timer.Callback(timer.State);
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new ManualTimer(callback, state) { DueAt = _ticks + dueTime.Ticks };
            _timers.Add(timer);
            return timer;
        }

        private sealed class ManualTimer(TimerCallback callback, object? state) : ITimer
        {
            public TimerCallback Callback { get; } = callback;
            public object? State { get; } = state;
            public long? DueAt { get; set; }

            public bool Change(TimeSpan dueTime, TimeSpan period) => throw new NotSupportedException();
            public void Dispose() => DueAt = null;
            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }

    private sealed class LinesLogger : ILogger<UnauthenticatedConnectionLog>
    {
        public List<string> Lines { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
