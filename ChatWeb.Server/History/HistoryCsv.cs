using System.Globalization;
using ChatWeb.Server.Chat;

namespace ChatWeb.Server.History;

/// <summary>The history file format: columns, timestamps and the reversible formula-injection guard.</summary>
internal static class HistoryCsv
{
    public static readonly string[] Header = ["Id", "SentAt", "User", "Source", "Text"];

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string FileName(DateTime utcDay) => $"history-{utcDay:yyyy-MM-dd}.csv";

    public static string FormatTimestamp(DateTime utc) => utc.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static bool TryParseTimestamp(string? text, out DateTime utc) =>
        DateTime.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc);

    public static string FormatSource(MessageSource source) => source switch
    {
        MessageSource.Web => "web",
        MessageSource.Tcp => "tcp",
        _ => "system",
    };

    public static bool TryParseSource(string? text, out MessageSource source)
    {
        (var ok, source) = text switch
        {
            "web" => (true, MessageSource.Web),
            "tcp" => (true, MessageSource.Tcp),
            "system" => (true, MessageSource.System),
            _ => (false, MessageSource.System),
        };
        return ok;
    }

    /// <summary>
    /// A spreadsheet evaluates a cell that starts with = + - @ tab or CR; such text (and text that
    /// already starts with the quote) gets one extra leading quote, which <see cref="Unprotect"/> removes.
    /// </summary>
    public static string Protect(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\'' ? "'" + text : text;

    public static string Unprotect(string text) => text.StartsWith('\'') ? text[1..] : text;
}
