using System.Net;
using System.Text;

namespace ChatWeb.Bench.Transports;

/// <summary>A plain IRC client (RFC 2812: NICK, USER, JOIN, PRIVMSG) in one channel, for ngIRCd and InspIRCd.</summary>
internal sealed class IrcClient(IPEndPoint server, string nick) : BenchClient
{
    public const string Channel = "#bench";

    // Nickname refused (432, 433, 436, 437), not registered (451), banned (465), channel refused (403, 405, 471, 473, 474, 475).
    private static readonly HashSet<string> FatalNumerics = ["403", "405", "432", "433", "436", "437", "451", "465", "471", "473", "474", "475"];

    private static readonly MessageFraming PrivmsgFraming = new(Encoding.ASCII.GetBytes($"PRIVMSG {Channel} :"), "\r\n"u8.ToArray());

    public override string Transport => "irc";
    public override bool EchoesOwnMessages => false;
    public override MessageFraming Framing => PrivmsgFraming;
    protected override byte Delimiter => (byte)'\n';

    public override async Task JoinAsync(CancellationToken cancellationToken)
    {
        StartReceiving(await SocketLink.ConnectAsync(server, cancellationToken));
        await SendLineAsync($"NICK {nick}\r\nUSER {nick} 0 * :bench\r\n", cancellationToken);
        await ExpectAsync(line => Numeric(line) == "001", cancellationToken);
        await SendLineAsync($"JOIN {Channel}\r\n", cancellationToken);
        await ExpectAsync(line => Numeric(line) == "366", cancellationToken);
    }

    // 366: end of the channel's NAMES list, the server's last reply to JOIN.
    protected override bool IsRoomEntered(string line) => Numeric(line) == "366";

    // ERROR precedes a close. Not every 4xx ends a sign-in (422: no MOTD), so only those that do are listed.
    protected override bool IsFailure(string line) =>
        line.StartsWith("ERROR", StringComparison.Ordinal) || Numeric(line) is { } numeric && FatalNumerics.Contains(numeric);

    protected override void OnControlFrame(ReadOnlySpan<byte> frame)
    {
        if (!frame.StartsWith("PING"u8)) return;
        var ping = frame.TrimEnd((byte)'\r');
        var pong = new byte[ping.Length + 2];
        "PONG"u8.CopyTo(pong);
        ping[4..].CopyTo(pong.AsSpan(4));
        "\r\n"u8.CopyTo(pong.AsSpan(ping.Length));
        _ = PongAsync(pong);
    }

    // Off the receive loop; the link keeps it from interleaving with a sender's write.
    private async Task PongAsync(byte[] pong)
    {
        try
        {
            await SendAsync(pong, CancellationToken.None);
        }
        catch (Exception)
        {
            // The connection is ending; the server will not wait for this answer.
        }
    }

    /// <summary><c>:server 001 nick :Welcome</c> -> <c>001</c>; null for a line that is not a numeric reply.</summary>
    internal static string? Numeric(string line)
    {
        if (!line.StartsWith(':')) return null;
        var parts = line.Split(' ', 3);
        return parts.Length >= 2 && parts[1].Length == 3 && parts[1].All(char.IsAsciiDigit) ? parts[1] : null;
    }
}
