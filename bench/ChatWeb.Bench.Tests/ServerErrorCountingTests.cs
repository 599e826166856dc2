using System.Net;
using System.Text;
using ChatWeb.Bench.Measuring;
using ChatWeb.Bench.Transports;

namespace ChatWeb.Bench.Tests;

/// <summary>Frames fed to a client by hand, as its receive loop would: no server, no socket.</summary>
public sealed class ServerErrorCountingTests
{
    private static readonly BenchAccount Account = new("bench0001", "bench-password-1", "token");

    [Fact]
    public async Task ATcpClientInTheRoomCountsErrorLinesAndNothingElse()
    {
        await using var client = new ChatWebTcpClient(new IPEndPoint(IPAddress.Loopback, 1), Account, SignInPath.Resume) { Stats = new ReceiverStats(1) };
        client.Stats.Start(run: 1);
        Feed(client, "Enter your name:", "Welcome back, bench0001!", "--- end of history ---");

        Feed(client, "* bench0002 joined", Message(1), "! too many messages, slow down", "[12:00:01] bench0002: ! not an error", "! line too long (max 8192 bytes)");

        Assert.Equal(2, client.ServerErrors);
        Assert.Equal("! too many messages, slow down", client.FirstServerError);
        Assert.Equal(1, client.Stats.Delivered);
    }

    [Fact]
    public async Task ErrorLinesBeforeTheRoomAreTheSignInsBusinessNotCounted()
    {
        await using var client = new ChatWebTcpClient(new IPEndPoint(IPAddress.Loopback, 1), Account, SignInPath.Resume);
        Feed(client, "Enter your name:", "! that token is not valid (expired or revoked)");

        Assert.Equal(0, client.ServerErrors);
    }

    [Fact]
    public async Task AHubClientInTheRoomCountsWarningAndErrorNoticesAndCloseMessages()
    {
        using var http = new HttpClient();
        await using var client = SignalRClient.ForChatWeb(new Uri("http://127.0.0.1:1"), Account, SignInPath.Resume, http);
        Feed(client, "{}", "{\"type\":1,\"target\":\"Users\",\"arguments\":[[]]}");

        Feed(client,
            Notice("info", "The server accepts new connections again."),
            Notice("warning", "The server is paused: nobody new can join for now."),
            "{\"type\":1,\"target\":\"Message\",\"arguments\":[{\"id\":1,\"user\":\"x\",\"text\":\"\\\"target\\\":\\\"Notice\\\"\",\"source\":\"web\"}]}",
            "{\"type\":6}",
            "{\"type\":7,\"error\":\"Connection closed with an error.\",\"allowReconnect\":false}");

        Assert.Equal(2, client.ServerErrors);
        Assert.Contains("paused", client.FirstServerError);
    }

    private static string Notice(string level, string text) =>
        $"{{\"type\":1,\"target\":\"Notice\",\"arguments\":[{{\"level\":\"{level}\",\"text\":\"{text}\"}}]}}";

    private static string Message(long sequence)
    {
        var text = new byte[MessageMarker.MaxMarkerBytes];
        var length = MessageMarker.Write(text, new Marker(1, 0, sequence, 1), 0);
        return "[12:00:00] bench0002: " + Encoding.ASCII.GetString(text, 0, length);
    }

    private static void Feed(BenchClient client, params string[] frames)
    {
        foreach (var frame in frames) client.OnFrame(Encoding.UTF8.GetBytes(frame), LatencyClock.Now());
    }
}
