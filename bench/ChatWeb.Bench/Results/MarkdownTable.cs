using System.Globalization;

namespace ChatWeb.Bench.Results;

/// <summary>A Markdown table with padded columns, readable in a terminal and pasted as is into docs/performance.md.</summary>
internal sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public void Add(params string[] cells) => _rows.Add(cells);

    public void WriteTo(TextWriter output)
    {
        var widths = headers.Select((h, i) => _rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        output.WriteLine(Line(headers, widths));
        output.WriteLine(Line(widths.Select(w => new string('-', w)).ToArray(), widths));
        foreach (var row in _rows) output.WriteLine(Line(row, widths));
        output.WriteLine();
    }

    public static string Number(double value) => value switch
    {
        >= 1_000_000 => (value / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + " M",
        >= 10_000 => (value / 1e3).ToString("0", CultureInfo.InvariantCulture) + " k",
        >= 1_000 => (value / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " k",
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    public static string Fixed(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Line(string[] cells, int[] widths) =>
        "| " + string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))) + " |";
}
