using ChatWeb.Server.AdminLog;
using Serilog.Events;
using Serilog.Parsing;

namespace ChatWeb.Tests.AdminLog;

public sealed class LiveLogTests
{
    private static LogEvent Event(string text) =>
        new(DateTimeOffset.UtcNow, LogEventLevel.Information, null, new MessageTemplateParser().Parse(text), []);

    [Fact]
    public void EventsReachTheLiveLogOnlyWhileSomebodyWatches()
    {
        var log = new LiveLog();
        log.Emit(Event("before anybody watched"));
        Assert.False(log.Lines.TryRead(out _));

        log.AddWatcher();
        log.Emit(Event("while watched"));
        Assert.True(log.Lines.TryRead(out var line));
        Assert.Contains("while watched", line);

        log.RemoveWatcher();
        log.Emit(Event("after the last watcher left"));
        Assert.False(log.Lines.TryRead(out _));
    }
}
