using System.Threading.Channels;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace ChatWeb.Server.Hosting;

/// <summary>
/// Every log event as the text line log.txt gets, handed to whoever shows logs live (the admin log page).
/// Bounded and lossy on purpose: a slow or absent reader must never slow logging down.
/// </summary>
public sealed class LiveLog : ILogEventSink
{
    private readonly Channel<string> _lines = Channel.CreateBounded<string>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly MessageTemplateTextFormatter _formatter = new(LoggingExtensions.Template, System.Globalization.CultureInfo.InvariantCulture);

    public ChannelReader<string> Lines => _lines.Reader;

    public void Emit(LogEvent logEvent)
    {
        using var text = new StringWriter();
        _formatter.Format(logEvent, text);
        _lines.Writer.TryWrite(text.ToString().TrimEnd());
    }
}
