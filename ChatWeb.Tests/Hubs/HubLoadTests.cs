using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using ChatWeb.Server.Chat;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Hubs;

/// <summary>Hub clients that send without waiting, and one that stops reading: the room keeps its order and carries on.</summary>
public sealed class HubLoadTests
{
    // About 30 MB of frames: several times what the kernel and SignalR buffer for a client that reads nothing.
    private const int MaxMessages = 20_000;

    [Fact]
    public async Task LinesSentWithoutWaitingAreStoredAndDeliveredInTheOrderSent()
    {
        await using var app = new ChatWebApplication(settings: new Dictionary<string, string?> { ["Chat:RatePerSecond"] = "0" });
        await using var sender = await HubTestClient.ConnectAsync(app, await app.SignUpAsync("sender"));
        await using var reader = await HubTestClient.ConnectAsync(app, await app.SignUpAsync("reader"));

        // Every invocation goes out before the first answer comes back: the hub takes several at once.
        const int Count = 300;
        var answers = await Task.WhenAll(Enumerable.Range(0, Count).Select(i => sender.InvokeAsync("Send", $"line {i}")));

        var ids = answers.Select(a => a.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Order(), ids);
        var received = await reader.WaitForMessagesAsync(m => m.Count >= Count);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"line {i}"), received.Select(m => m.GetProperty("text").GetString()));
        Assert.Equal(ids, received.Select(m => m.GetProperty("id").GetInt64()));
        // Arrival order, not only id order: live messages come in the room's one order.
        Assert.Equal(ids, reader.Events.Where(e => e.Target == "Message").Select(e => e.Argument.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task WebClientThatNeverReadsIsDisconnectedWhileAReaderGetsEveryMessage()
    {
        // Hub:SendQueueLimit as shipped (1000 room events).
        await using var app = new ChatWebApplication(settings: new Dictionary<string, string?> { ["Chat:RatePerSecond"] = "0" });
        await using var reader = await HubTestClient.ConnectAsync(app, await app.SignUpAsync("reader"));
        using var silent = await OpenSilentHubSocketAsync(app, await app.SignUpAsync("silent"));
        await reader.NextAsync("UserJoined", e => e.Argument.GetProperty("userName").GetString() == "silent");

        await using var sender = await TcpTestClient.ConnectAsync(app);
        await sender.RegisterAsync("sender");
        var padding = new string('p', 1500);
        var presence = app.Get<RoomPresence>();
        // A busy room (2,000 messages a second) rather than one burst: a client that reads keeps up with it, the silent one falls behind.
        // The kernel's buffers take some megabytes first, so the room goes on until the silent one is gone.
        var sent = 0;
        while (presence.ConnectionsOf("silent") > 0 && sent < MaxMessages)
        {
            var lines = new StringBuilder();
            for (var i = sent; i < sent + 100; i++) lines.Append("m ").Append(i).Append(' ').Append(padding).Append('\n');
            await sender.SendRawAsync(Encoding.UTF8.GetBytes(lines.ToString()));
            sent += 100;
            await Task.Delay(50);
        }

        var log = Path.Combine(app.DataDirectory, "log.txt");
        await Wait.UntilAsync(() => presence.ConnectionsOf("silent") == 0, () => File.ReadAllText(log));
        Assert.Contains("(silent) disconnected: 1000 messages are waiting to be sent to it; the client is not reading", await File.ReadAllTextAsync(log));
        var received = await reader.WaitForMessagesAsync(m => m.Count >= sent, TimeSpan.FromSeconds(60));
        Assert.Equal(Enumerable.Range(0, sent).Select(i => $"m {i} {padding}"), received.Select(m => m.GetProperty("text").GetString()));
        // The reader is still connected: a call made after all that is answered.
        Assert.Equal("still reading", (await reader.InvokeAsync("Send", "still reading")).GetProperty("text").GetString());
        Assert.False(reader.Closed.IsCompleted, "the reading client was cut off too");
        Assert.Empty(ServerLog.Problems(log));
    }

    /// <summary>
    /// A hub connection made by hand over a socket with a small receive window, which signs in, joins the
    /// room and then never reads a byte, so the server's writes to it back up soon.
    /// </summary>
    private static async Task<Socket> OpenSilentHubSocketAsync(ChatWebApplication app, string token)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(IPAddress.Loopback, app.BaseAddress.Port);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"GET /hubs/chat?access_token={Uri.EscapeDataString(token)} HTTP/1.1\r\nHost: {app.BaseAddress.Authority}\r\n" +
            $"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var response = new StringBuilder();
        var one = new byte[1];
        while (!response.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await socket.ReceiveAsync(one) == 1)
            response.Append((char)one[0]);
        Assert.StartsWith("HTTP/1.1 101", response.ToString());

        var webSocket = WebSocket.CreateFromStream(new NetworkStream(socket), new WebSocketCreationOptions { IsServer = false });
        await webSocket.SendAsync("{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        return socket;
    }
}
