using System.Threading.Channels;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;
using ChatWeb.Server.Hosting;

namespace ChatWeb.Server.AdminLog;

/// <summary>
/// Every log event as the text line log.txt gets, handed to whoever shows logs live (the admin log page).
/// Bounded and lossy on purpose: a slow or absent reader must never slow logging down. While nobody
/// watches (no admin on the log page) events are not formatted at all: every sign-in logs, and that
/// text would only be thrown away.
/// </summary>
public sealed class LiveLog : ILogEventSink
{
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly MessageTemplateTextFormatter _formatter = new(LoggingExtensions.Template, System.Globalization.CultureInfo.InvariantCulture);

    private int _watchers;

    public ChannelReader<string> Lines => _lines.Reader;

    /// <summary>Someone started showing the live log; events from now on are handed over.</summary>
    public void AddWatcher() => Interlocked.Increment(ref _watchers);

    public void RemoveWatcher() => Interlocked.Decrement(ref _watchers);

    public void Emit(LogEvent logEvent)
    {
        if (Volatile.Read(ref _watchers) <= 0) return;
        using var text = new StringWriter();
        _formatter.Format(logEvent, text);
        _lines.Writer.TryWrite(text.ToString().TrimEnd());
    }
}
