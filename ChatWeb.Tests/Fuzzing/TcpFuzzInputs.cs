using System.Text;

namespace ChatWeb.Tests.Fuzzing;

/// <summary>How the bytes of one input reach the socket.</summary>
public enum TcpDelivery
{
    /// <summary>One write.</summary>
    Whole,
    /// <summary>A few writes cut at random places (inside UTF-8 sequences too), with a pause so they arrive apart.</summary>
    Pieces,
    /// <summary>One byte per write: thousands of tiny writes.</summary>
    ByteByByte,
    /// <summary>The bytes, then a reset (RST): the client vanishes mid-line.</summary>
    ThenReset,
    /// <summary>The bytes, then the end of the stream (FIN) with no newline.</summary>
    ThenHangUp,
}

/// <summary>One thing thrown at the TCP gateway.</summary>
public sealed record TcpInput(int Index, string Kind, byte[] Bytes, TcpDelivery Delivery)
{
    public override string ToString() =>
        $"#{Index} {Kind} ({Bytes.Length} bytes, {Delivery}): {Convert.ToHexString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 48)))}";
}

/// <summary>The TCP gateway's nasty inputs, each made from the seed and its own number only.</summary>
public static class TcpFuzzInputs
{
    public const int Megabyte = 1024 * 1024;

    // Fixed places in every pass, so even the shortest one has the rare big inputs.
    private const int MegabyteEvery = 2500;
    private const int TinyWritesEvery = 1000;
    // Rare on purpose: each registration costs the server two password hashes.
    private const int RegistrationEvery = 500;

    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    public static TcpInput Create(int seed, int index)
    {
        var random = FuzzRandom.For(seed, FuzzDoor.Tcp, index);
        if (index % MegabyteEvery == MegabyteEvery / 2)
            return new(index, "1 MB without a newline", Filler(random, Megabyte), random.Chance(50) ? TcpDelivery.Whole : TcpDelivery.Pieces);
        if (index % TinyWritesEvery == TinyWritesEvery / 2)
            return new(index, "thousands of tiny writes", Utf8.GetBytes(random.Words(random.Next(2000, 4000)) + "\n"), TcpDelivery.ByteByByte);
        if (index % RegistrationEvery == RegistrationEvery / 2)
            return new(index, "registration attempt", Registration(random), TcpDelivery.Whole);

        return random.Next(100) switch
        {
            < 14 => new(index, "random bytes", random.Bytes(random.Next(1, 600)), Delivery(random)),
            < 20 => new(index, "NULs in a line", Line(random.Words(random.Next(0, 20)) + new string('\0', random.Next(1, 50)) + random.Words(random.Next(0, 20))), Delivery(random)),
            < 30 => new(index, "split UTF-8", Line(random.NastyText() + "Жук 🐞 字" + random.Words(random.Next(0, 40))), TcpDelivery.Pieces),
            < 38 => new(index, "telnet IAC", Telnet(random), Delivery(random)),
            < 48 => new(index, "command with junk", Line(CommandWithJunk(random)), Delivery(random)),
            < 52 => new(index, "/who flood", Utf8.GetBytes(string.Concat(Enumerable.Repeat(random.Chance(50) ? "/who\n" : "/WHO\r\n", random.Next(50, 400)))), TcpDelivery.Whole),
            < 62 => new(index, "nasty text", Line(random.NastyText(12)), Delivery(random)),
            < 68 => new(index, "invalid UTF-8", InvalidUtf8(random), Delivery(random)),
            < 74 => new(index, "odd line ends", OddLineEnds(random), Delivery(random)),
            < 79 => new(index, "over-long line", Line(random.Words(random.Next(8193, 20_000))), Delivery(random)),
            < 84 => new(index, "near the length limits", Line(random.Words(random.Next(1990, 2010))), TcpDelivery.Whole),
            < 90 => new(index, "gone mid-line", Utf8.GetBytes(random.NastyText()), random.Chance(50) ? TcpDelivery.ThenReset : TcpDelivery.ThenHangUp),
            < 94 => new(index, "tiny writes", Line(random.NastyText()), TcpDelivery.ByteByByte),
            < 96 => new(index, "exit", Line(random.Pick(["exit", "EXIT", "/quit", "/QUIT", " exit ", "exit\r"])), TcpDelivery.Whole),
            _ => new(index, "plain text", Line(random.Words(random.Next(1, 200))), Delivery(random)),
        };
    }

    private static TcpDelivery Delivery(Random random) => random.Next(10) switch
    {
        < 6 => TcpDelivery.Whole,
        < 9 => TcpDelivery.Pieces,
        _ => random.Chance(50) ? TcpDelivery.ThenReset : TcpDelivery.ThenHangUp,
    };

    private static byte[] Line(string text) => Utf8.GetBytes(text + "\n");

    private static byte[] Filler(Random random, int length)
    {
        var bytes = new byte[length];
        var pattern = Utf8.GetBytes(random.Words(997));
        for (var i = 0; i < length; i++) bytes[i] = pattern[i % pattern.Length] is (byte)'\n' ? (byte)'x' : pattern[i % pattern.Length];
        return bytes;
    }

    /// <summary>What a telnet client says first: option negotiation (IAC WILL/DO/WONT/DONT, subnegotiation), mixed into a line.</summary>
    private static byte[] Telnet(Random random)
    {
        var bytes = new List<byte>();
        for (var i = random.Next(1, 8); i > 0; i--)
        {
            switch (random.Next(4))
            {
                case 0: bytes.AddRange([0xFF, (byte)random.Next(0xFB, 0xFF), (byte)random.Next(0, 40)]); break; // IAC WILL/WONT/DO/DONT option
                case 1: bytes.AddRange([0xFF, 0xFA, 0x18, 0x00, .. "xterm"u8, 0xFF, 0xF0]); break;              // IAC SB TERMINAL-TYPE IS xterm IAC SE
                case 2: bytes.AddRange([0xFF, (byte)random.Next(0xF1, 0xFA)]); break;                            // IAC NOP/DM/BRK/IP/AO/AYT/EC/EL/GA
                default: bytes.AddRange(Utf8.GetBytes(random.Words(random.Next(0, 10)))); break;
            }
        }
        if (random.Chance(50)) bytes.Add((byte)'\r');
        bytes.Add((byte)'\n');
        return bytes.ToArray();
    }

    private static string CommandWithJunk(Random random)
    {
        var command = random.Pick(["/resume", "/RESUME", "/who", "/help", "/quit", "/", "//", "/resume\t", "/who?", "/ who", "/ресume", "/\0"]);
        var junk = random.Next(6) switch
        {
            0 => "",
            1 => " " + Convert.ToBase64String(random.Bytes(random.Next(1, 400))),
            2 => " CfDJ8" + Convert.ToBase64String(random.Bytes(random.Next(50, 300))).Replace('+', '-').Replace('/', '_'),
            3 => " " + random.NastyText(),
            4 => new string(' ', random.Next(1, 50)) + random.Words(random.Next(1, 30)),
            _ => " " + new string('A', random.Next(5000, 9000)),
        };
        return command + junk;
    }

    private static byte[] InvalidUtf8(Random random)
    {
        byte[][] sequences =
        [
            [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80],
            [0xF8, 0x88, 0x80, 0x80, 0x80], [0xFC, 0x84, 0x80, 0x80, 0x80, 0x80], [0x80], [0xBF], [0xFE], [0xFF],
            [0xE2, 0x82], [0xF0, 0x9F, 0x90], [0xEF, 0xBB, 0xBF],
        ];
        var bytes = new List<byte>();
        for (var i = random.Next(1, 12); i > 0; i--)
        {
            bytes.AddRange(random.Pick(sequences));
            if (random.Chance(40)) bytes.AddRange(Utf8.GetBytes(random.Words(random.Next(1, 5))));
        }
        bytes.Add((byte)'\n');
        return bytes.ToArray();
    }

    private static byte[] OddLineEnds(Random random)
    {
        var text = new StringBuilder();
        for (var i = random.Next(1, 10); i > 0; i--)
            text.Append(random.Words(random.Next(0, 10))).Append(random.Pick(["\r", "\r\r\n", "\n\r", "\r\n", "\n\n\n", "\u2028", "\u0085"]));
        return Utf8.GetBytes(text.Append('\n').ToString());
    }

    /// <summary>A name and a password twice: a real registration now and then, so the prompts after the name get junk too.</summary>
    private static byte[] Registration(Random random)
    {
        var name = "fz" + random.Next(0, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var password = random.Chance(70) ? "password-" + random.Words(4) : random.NastyText(3);
        var repeat = random.Chance(80) ? password : password + "x";
        return Utf8.GetBytes($"{name}\n{password}\n{repeat}\n");
    }
}
