using System.Net;

namespace ChatWeb.Bench.Transports;

/// <summary>A client of ChatWeb's TCP gateway, speaking the line protocol of DESIGN.md and docs/protocol.md.</summary>
internal sealed class ChatWebTcpClient(IPEndPoint server, BenchAccount account, SignInPath path) : BenchClient
{
    private const string NamePrompt = "Enter your name:";
    private const string HistoryFooter = "--- end of history ---";

    private static readonly MessageFraming LineFraming = new([], "\n"u8.ToArray());

    public override string Transport => "tcp";
    public override bool EchoesOwnMessages => false;
    public override MessageFraming Framing => LineFraming;
    protected override byte Delimiter => (byte)'\n';

    public override async Task JoinAsync(CancellationToken cancellationToken)
    {
        StartReceiving(await SocketLink.ConnectAsync(server, cancellationToken));
        await ExpectAsync(line => line == NamePrompt, cancellationToken);
        if (path == SignInPath.Resume)
        {
            await SendLineAsync($"/resume {account.Token}\n", cancellationToken);
        }
        else
        {
            await SendLineAsync(account.UserName + "\n", cancellationToken);
            await ExpectAsync(line => line.StartsWith("Hello again,", StringComparison.Ordinal), cancellationToken);
            await SendLineAsync(account.Password + "\n", cancellationToken);
        }
        // The welcome, the token and the history come first; the footer is the last line before live traffic.
        await ExpectAsync(line => line == HistoryFooter, cancellationToken);
    }

    protected override bool IsRoomEntered(string line) => line == HistoryFooter;

    protected override bool IsFailure(string line) => line.StartsWith("! ", StringComparison.Ordinal);
}
