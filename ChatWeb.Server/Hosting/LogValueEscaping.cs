using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace ChatWeb.Server.Hosting;

/// <summary>
/// Values in log lines come from clients too: a name typed at the sign-in form, a reason from a closed
/// connection. A line break in one would start a forged entry in log.txt and on the admin log page
/// (<c>x\n2026-01-01 00:00:00.000 [ERR] …</c>, found by the fuzzer), and a terminal escape would reach the
/// operator's console. Control characters and line separators in string values are written as escapes, and
/// a value longer than <see cref="MaxValueLength"/> is cut: a two-million-character name sent to the sign-in API
/// must not become a 2 MB log line (the log's size limit would push the older entries out).
/// </summary>
internal sealed class LogValueEscaping : ILogEventEnricher
{
    public const int MaxValueLength = 1000;

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? escaped = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (value is ScalarValue { Value: string text } && (text.Length > MaxValueLength || NeedsEscaping(text)))
                (escaped ??= []).Add(new LogEventProperty(name, new ScalarValue(Escape(Cut(text)))));
        }
        if (escaped is null) return;
        foreach (var property in escaped) logEvent.AddOrUpdateProperty(property);
    }

    private static string Cut(string text)
    {
        if (text.Length <= MaxValueLength) return text;
        var keep = char.IsHighSurrogate(text[MaxValueLength - 1]) ? MaxValueLength - 1 : MaxValueLength;
        return $"{text[..keep]}… ({text.Length - keep} more characters)";
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
