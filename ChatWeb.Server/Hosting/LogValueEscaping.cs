using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace ChatWeb.Server.Hosting;

/// <summary>
/// Values in log lines come from clients too: a name typed at the sign-in form, a reason from a closed
/// connection. A line break in one started a forged entry in log.txt and on the admin log page
/// (<c>x\n2026-01-01 00:00:00.000 [ERR] …</c>, found by the fuzzer), and a terminal escape reached the
/// operator's console. Control characters and line separators in string values are written as escapes.
/// </summary>
internal sealed class LogValueEscaping : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? escaped = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (value is ScalarValue { Value: string text } && NeedsEscaping(text))
                (escaped ??= []).Add(new LogEventProperty(name, new ScalarValue(Escape(text))));
        }
        if (escaped is null) return;
        foreach (var property in escaped) logEvent.AddOrUpdateProperty(property);
    }

    internal static string Escape(string text)
    {
        var clean = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (!IsUnsafe(c)) clean.Append(c);
            else if (c == '\n') clean.Append("\\n");
            else if (c == '\r') clean.Append("\\r");
            else clean.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }
        return clean.ToString();
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
        {
            if (IsUnsafe(c)) return true;
        }
        return false;
    }

    // A tab is harmless in a line; every other control character (C0, DEL, C1 with NEL) and the Unicode line separators are not.
    private static bool IsUnsafe(char c) => (char.IsControl(c) && c != '\t') || c is '\u2028' or '\u2029';
}
