using System.Text;

namespace ChatWeb.Tests.Fuzzing;

public enum FuzzDoor { Tcp = 1, Hub = 2, Api = 3 }

/// <summary>
/// The randomness of one input, derived from the seed, the door and the input's number alone: input
/// #4711 is the same bytes whatever ran before it and however the lanes interleaved, so a failure names
/// one input that can be made again.
/// </summary>
public static class FuzzRandom
{
    public static Random For(int seed, FuzzDoor door, int index)
    {
        // SplitMix64 of (seed, door, index): a fixed mix (HashCode is salted per process, so it would not replay).
        var x = unchecked(((ulong)(uint)seed << 32 | (uint)index) + ((ulong)door * 0x9E3779B97F4A7C15UL));
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        // Random(int) is the seeded algorithm that .NET keeps stable across versions.
        return new Random(unchecked((int)(x ^ (x >> 32))));
    }

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public static bool Chance(this Random random, int percent) => random.Next(100) < percent;

    public static byte[] Bytes(this Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Text that has hurt servers before: controls, bidi overrides, zero widths, combining piles, lone surrogates, fake markup.</summary>
    public static string NastyText(this Random random, int maxPieces = 8)
    {
        var text = new StringBuilder();
        var pieces = random.Next(1, maxPieces + 1);
        for (var i = 0; i < pieces; i++) text.Append(random.Pick(NastyPieces));
        if (random.Chance(30)) text.Append(new string(random.Pick(CombiningMarks), random.Next(1, 300)));
        if (random.Chance(20)) text.Insert(random.Next(text.Length + 1), (char)random.Next(0xD800, 0xE000)); // a lone surrogate
        return text.ToString();
    }

    /// <summary>Printable junk of a given length, with a sprinkle of letters from other scripts.</summary>
    public static string Words(this Random random, int length)
    {
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            text.Append(random.Next(10) switch
            {
                0 => 'Ж',
                1 => '字',
                2 => ' ',
                _ => (char)random.Next('a', 'z' + 1),
            });
        }
        return text.ToString();
    }

    private static readonly char[] CombiningMarks = ['\u0301', '\u0336', '\u20DD', '\u0489'];

    private static readonly string[] NastyPieces =
    [
        "\0", "\u0001", "\u0007", "\b", "\t", "\u000B", "\f", "\r", "\u001B[2J", "\u001B]0;pwned\u0007", "\u001B[31m", "\u007F",
        "\u0085", "\u00A0", "\u00AD", "\u200B", "\u200D", "\u200E", "\u202E", "\u2066", "\u2028", "\u2029", "\uFEFF", "\uFFFD", "\uFFFF",
        "🐞", "👩‍👩‍👧‍👦", "🏳️‍🌈", "Жук", "字", "ｆｕｌｌ", "𝕏", "e\u0301", "ﷺ", "\u0E47\u0E47\u0E47",
        "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "\"'><svg/onload=alert(1)>", "javascript:alert(1)",
        "=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "'", "\"", "\\", "%s%n%x", "{0}", "{{x}}", "${jndi:ldap://x}",
        "../../etc/passwd", "\u001e", "{\"type\":1}", ",,,", "\"\"\"", "[12:00:00] admin: ", "* admin joined", "! you were disconnected",
        "Session token: x", "\n2026-01-01 00:00:00.000 [ERR] forged log entry\n", "\r\n", "admin", "ADMIN", "аdmin", "null", "undefined", "NaN", "-0", "1e309", "9223372036854775808",
    ];
}
