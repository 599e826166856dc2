using System.Buffers;

namespace ChatWeb.Server.Chat;

/// <summary>
/// The Unicode bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). They make text show in
/// another order than it is stored ("invoice\u202Efdp.exe" displays as "invoiceexe.pdf") and keep doing so
/// over whatever follows them on a terminal line or in a page, so the room removes them from every post.
/// The marks U+200E (LRM), U+200F (RLM) and U+061C (ALM) stay: Hebrew and Arabic text needs them to place
/// punctuation and digits, and as they embed nothing they cannot reorder letters, only the neutral
/// characters beside them.
/// </summary>
public static class BidiControls
{
    private static readonly SearchValues<char> Controls = SearchValues.Create(
        "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069");

    /// <summary>The text without bidi controls; the same string when it has none (the usual case, at no cost).</summary>
    public static string Strip(string text)
    {
        var first = text.AsSpan().IndexOfAny(Controls);
        if (first < 0) return text;
        return string.Create(text.Length - Count(text.AsSpan(first)), (text, first), static (target, state) =>
        {
            var (source, first) = state;
            source.AsSpan(0, first).CopyTo(target);
            var written = first;
            foreach (var c in source.AsSpan(first))
                if (!Controls.Contains(c)) target[written++] = c;
        });
    }

    private static int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        int next;
        while ((next = text.IndexOfAny(Controls)) >= 0)
        {
            count++;
            text = text[(next + 1)..];
        }
        return count;
    }
}
