using System.Text;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Two names that a reader cannot tell apart ("HEX" in Latin letters and "НЕХ" in Cyrillic ones) may not both be
/// registered. Each name is reduced to two skeletons, one from its small letters and one from its
/// capitals (Greek Η is an H while η is an n), by mapping the Cyrillic and Greek letters that look like Latin ones onto
/// them (and the few Latin letters and kanji that look like other letters of a name's own writing); two names clash when either skeleton is equal. The table is small on purpose: the letters of the scripts a
/// name may be written in that are drawn the same as a Latin letter in ordinary fonts.
/// </summary>
public static class LookAlikes
{
    private static readonly Dictionary<char, char> Small = new()
    {
        // Cyrillic
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['ё'] = 'e', ['к'] = 'k', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['п'] = 'n',
        ['р'] = 'p', ['с'] = 'c', ['т'] = 't', ['у'] = 'y', ['х'] = 'x', ['ѕ'] = 's', ['і'] = 'i', ['ї'] = 'i', ['ј'] = 'j',
        ['һ'] = 'h', ['ԁ'] = 'd', ['ԛ'] = 'q', ['ԝ'] = 'w', ['ӏ'] = 'l', ['ь'] = 'b',
        // Latin letters drawn as other Latin letters, and kanji drawn as katakana (Japanese names mix the two)
        ['ı'] = 'i', ['ȷ'] = 'j', ['ĸ'] = 'k',
        ['力'] = 'カ', ['口'] = 'ロ', ['工'] = 'エ', ['夕'] = 'タ', ['二'] = 'ニ', ['八'] = 'ハ', ['卜'] = 'ト', ['一'] = 'ー',
        // Greek
        ['α'] = 'a', ['β'] = 'b', ['γ'] = 'y', ['ε'] = 'e', ['η'] = 'n', ['ι'] = 'i', ['κ'] = 'k', ['ν'] = 'v', ['ο'] = 'o',
        ['ρ'] = 'p', ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x', ['ω'] = 'w', ['ϲ'] = 'c', ['ϳ'] = 'j',
    };

    private static readonly Dictionary<char, char> Capital = new()
    {
        // Cyrillic
        ['А'] = 'A', ['В'] = 'B', ['Е'] = 'E', ['Ё'] = 'E', ['К'] = 'K', ['М'] = 'M', ['Н'] = 'H', ['О'] = 'O', ['Р'] = 'P',
        ['С'] = 'C', ['Т'] = 'T', ['У'] = 'Y', ['Х'] = 'X', ['Ѕ'] = 'S', ['І'] = 'I', ['Ї'] = 'I', ['Ј'] = 'J', ['Ԁ'] = 'D',
        ['Ԛ'] = 'Q', ['Ԝ'] = 'W', ['Ӏ'] = 'I',
        // Latin letters drawn as other Latin letters, and kanji drawn as katakana
        ['İ'] = 'I', ['ı'] = 'I',
        ['力'] = 'カ', ['口'] = 'ロ', ['工'] = 'エ', ['夕'] = 'タ', ['二'] = 'ニ', ['八'] = 'ハ', ['卜'] = 'ト', ['一'] = 'ー',
        // Greek
        ['Α'] = 'A', ['Β'] = 'B', ['Ε'] = 'E', ['Ζ'] = 'Z', ['Η'] = 'H', ['Ι'] = 'I', ['Κ'] = 'K', ['Μ'] = 'M', ['Ν'] = 'N',
        ['Ο'] = 'O', ['Ρ'] = 'P', ['Τ'] = 'T', ['Υ'] = 'Y', ['Χ'] = 'X', ['Ϲ'] = 'C',
    };

    /// <summary>The name as a reader sees it: NFKC, case folded, look-alike letters mapped onto Latin ones.</summary>
    public static (string Small, string Capital) Skeletons(string name)
    {
        string folded;
        try
        {
            folded = name.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            folded = name;
        }
        return (Map(folded.ToLowerInvariant(), Small), Map(folded.ToUpperInvariant(), Capital));
    }

    /// <summary>The code of the refusal, beside Identity's DuplicateUserName: both answer 409.</summary>
    public const string ErrorCode = "LookAlikeUserName";

    public static IdentityError Error(string name, string existing) => new()
    {
        Code = ErrorCode,
        Description = $"The name '{name}' looks the same as '{existing}', which is already registered.",
    };

    public static bool Clash((string Small, string Capital) a, (string Small, string Capital) b) =>
        a.Small == b.Small || a.Capital == b.Capital;

    private static string Map(string text, Dictionary<char, char> table) =>
        string.Create(text.Length, (text, table), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = state.table.TryGetValue(state.text[i], out var latin) ? latin : state.text[i];
        });
}
