using System.Globalization;
using System.Text;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Which writing system a letter of a name belongs to, so that a name keeps to one ("аdmin" with a Cyrillic а is
/// refused). .NET does not expose the Unicode Script property, so the scripts that names are written in are
/// listed by their blocks; a letter of any other block counts as a script of its own block.
/// </summary>
internal static class NameScripts
{
    private static readonly (int First, int Last, string Script)[] Blocks =
    [
        (0x0041, 0x005A, "Latin"), (0x0061, 0x007A, "Latin"), (0x00AA, 0x00AA, "Latin"), (0x00BA, 0x00BA, "Latin"),
        (0x00C0, 0x024F, "Latin"), (0x0250, 0x02AF, "Phonetic"), (0x1D00, 0x1DBF, "Phonetic"), (0x1E00, 0x1EFF, "Latin"),
        (0x2C60, 0x2C7F, "Latin"), (0xA720, 0xA7FF, "Latin"), (0xAB30, 0xAB6F, "Latin"),
        (0x0370, 0x03FF, "Greek"), (0x1F00, 0x1FFF, "Greek"),
        (0x0400, 0x052F, "Cyrillic"), (0x1C80, 0x1C8F, "Cyrillic"), (0x2DE0, 0x2DFF, "Cyrillic"), (0xA640, 0xA69F, "Cyrillic"),
        (0x0530, 0x058F, "Armenian"), (0x0590, 0x05FF, "Hebrew"),
        (0x0600, 0x06FF, "Arabic"), (0x0750, 0x077F, "Arabic"), (0x08A0, 0x08FF, "Arabic"),
        (0x10A0, 0x10FF, "Georgian"), (0x1C90, 0x1CBF, "Georgian"),
        (0x1100, 0x11FF, "Hangul"), (0x3130, 0x318F, "Hangul"), (0xA960, 0xA97F, "Hangul"), (0xAC00, 0xD7FF, "Hangul"),
        (0x3040, 0x309F, "Hiragana"), (0x30A0, 0x30FF, "Katakana"), (0x31F0, 0x31FF, "Katakana"),
        (0x3400, 0x4DBF, "Han"), (0x4E00, 0x9FFF, "Han"), (0xF900, 0xFAFF, "Han"), (0x20000, 0x3FFFF, "Han"),
    ];

    // Scripts that are written together: Japanese mixes kanji and both kana, Korean may mix Hangul and hanja.
    private static readonly string[][] WrittenTogether = [["Han", "Hiragana", "Katakana"], ["Han", "Hangul"]];

    /// <summary>True when every letter, and every digit other than 0-9, belongs to one script (or to scripts written together).</summary>
    public static bool AreOneScript(string name)
    {
        var scripts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.IsLetter(rune) || (Rune.IsDigit(rune) && !IsAsciiDigit(rune))) scripts.Add(ScriptOf(rune.Value));
        }
        return scripts.Count <= 1 || WrittenTogether.Any(group => scripts.IsSubsetOf(group));
    }

    /// <summary>
    /// False when a name uses the IPA and phonetic letters (ɑ, ɩ, small capitals such as ᴀᴅᴍɪɴ): nobody's name is
    /// written in them, and they read as the ordinary Latin letters of another name.
    /// </summary>
    public static bool AreNameLetters(string name)
    {
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.IsLetter(rune) && ScriptOf(rune.Value) == "Phonetic") return false;
        }
        return true;
    }

    public static string ScriptOf(int codePoint)
    {
        foreach (var (first, last, script) in Blocks)
        {
            if (codePoint >= first && codePoint <= last) return script;
        }
        // Most other scripts have a block of 128 code points (the Indic scripts, Thai, Lao, Tibetan, ...).
        return "U+" + (codePoint & ~0x7F).ToString("X4", CultureInfo.InvariantCulture);
    }

    private static bool IsAsciiDigit(Rune rune) => rune.Value is >= '0' and <= '9';
}
