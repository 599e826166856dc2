using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatWeb.Server.Chat;
using ChatWeb.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatWeb.Tests.Gateway;

/// <summary>Floods and slow readers: the room and everyone else carry on.</summary>
public sealed class TcpLoadTests
{
    [Fact]
    public async Task BurstOfTenThousandLinesIsThrottledWithErrorLinesWhileOthersChatOn()
    {
        // The limiter's clock stands still, so the flood gets exactly the burst however long the machine takes over it.
        var clock = new ManualClock();
        await using var app = new ChatWebApplication(settings: new Dictionary<string, string?>
        {
            ["Chat:RatePerSecond"] = "5",
            ["Chat:RateBurst"] = "20",
        }, services: services => services.Replace(ServiceDescriptor.Singleton(sp => ActivatorUtilities.CreateInstance<UserRateLimiter>(sp, clock))));
        await using var web = await HubTestClient.ConnectAsync(app, await app.SignUpAsync("webuser"));
        await using var calm = await TcpTestClient.ConnectAsync(app);
        await calm.RegisterAsync("calm");
        await using var flooder = await TcpTestClient.ConnectAsync(app);
        await flooder.RegisterAsync("flooder");
        await calm.ExpectAsync("* flooder joined");

        const int Burst = 10_000;
        var flood = new StringBuilder();
        for (var i = 0; i < Burst; i++) flood.Append("flood ").Append(i).Append('\n');
        var sending = flooder.SendRawAsync(Encoding.UTF8.GetBytes(flood.ToString()));

        // While the flood is handled, the others still talk both ways.
        await calm.SendAsync("calm here");
        await web.NextAsync("Message", m => m.Argument.GetProperty("text").GetString() == "calm here", TimeSpan.FromSeconds(15));
        await web.InvokeAsync("Send", "web here");
        await calm.ReadUntilAsync(line => line.EndsWith("] webuser: web here", StringComparison.Ordinal), timeout: TimeSpan.FromSeconds(15));
        await sending;

        // Every line of the burst is either stored (and then seen by the others) or refused with an error line to the flooder.
        var room = app.Get<ChatRoom>();
        async Task<int> StoredAsync() => (await room.HistoryAfterAsync(0, ChatRoom.MaxHistoryPage)).Count(m => m.User == "flooder");
        var refused = 0;
        var otherLines = new List<string>();
        while (refused + await StoredAsync() < Burst)
        {
            var line = await flooder.ReadLineAsync(TimeSpan.FromSeconds(15));
            if (line == "! too many messages, slow down") refused++;
            else otherLines.Add(line);
        }
        var stored = await StoredAsync();
        Assert.Equal(20, stored);
        var messages = await web.WaitForMessagesAsync(ms => ms.Count(m => m.GetProperty("user").GetString() == "flooder") == stored);
        var accepted = messages.Where(m => m.GetProperty("user").GetString() == "flooder")
            .Select(m => int.Parse(m.GetProperty("text").GetString()!["flood ".Length..])).ToList();
        // The burst allowance takes the first 20, in the order sent; the clock gave no refill.
        Assert.Equal(Enumerable.Range(0, 20), accepted);
        Assert.All(otherLines, line => Assert.Matches(@"^\[\d\d:\d\d:\d\d\] (calm: calm here|webuser: web here)$", line));

        // The server is up and takes newcomers.
        await using var newcomer = await TcpTestClient.ConnectAsync(app);
        await newcomer.ExpectAsync("Enter your name:");
    }

    [Fact]
    public async Task ClientThatNeverReadsIsDisconnectedWhileTwentyOthersGetEveryOneOfFiveThousandMessages()
    {
        await using var app = new ChatWebApplication(settings: new Dictionary<string, string?>
        {
            ["Chat:RatePerSecond"] = "0",
            ["Gateway:MaxConnectionsPerIp"] = "0",
        });
        var started = Stopwatch.StartNew();
        var readerToken = await app.SignUpAsync("reader");
        var slowToken = await app.SignUpAsync("slow");
        var senderToken = await app.SignUpAsync("sender");

        var readers = new List<TcpTestClient>();
        try
        {
            for (var i = 0; i < 20; i++) readers.Add(await ResumeAsync(app, readerToken));

            // Signs in and never reads a byte, with a small receive window so the server's writes back up soon.
            using var slow = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await slow.ConnectAsync(IPAddress.Loopback, app.TcpPort());
            await slow.SendAsync(Encoding.UTF8.GetBytes($"/resume {slowToken}\n"));
            await readers[0].ExpectAsync("* slow joined");

            await using var sender = await ResumeAsync(app, senderToken);
            const int Count = 5000;
            var padding = new string('p', 480);
            var burst = new StringBuilder();
            for (var i = 0; i < Count; i++) burst.Append("m ").Append(i).Append(' ').Append(padding).Append('\n');
            var sending = sender.SendRawAsync(Encoding.UTF8.GetBytes(burst.ToString()));

            var received = await Task.WhenAll(readers.Select(reader => ReceiveMessagesAsync(reader, Count)));
            await sending;

            Assert.All(received, lines => Assert.Equal(Enumerable.Range(0, Count).Select(i => $"m {i} {padding}"), lines));
            var presence = app.Get<RoomPresence>();
            await Wait.UntilAsync(() => presence.ConnectionsOf("slow") == 0, () => File.ReadAllText(Path.Combine(app.DataDirectory, "log.txt")));
            Assert.Contains("(slow) disconnected: its send queue is full (1000 lines)", await File.ReadAllTextAsync(Path.Combine(app.DataDirectory, "log.txt")));
            // Its socket was closed by the server: after the bytes that were already on their way, the stream ends.
            Assert.True(await ReadsToTheEndAsync(slow));
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"took {started.Elapsed}");
        }
        finally
        {
            foreach (var reader in readers) await reader.DisposeAsync();
        }
    }

    [Fact]
    public async Task WithTheSendQueueLimitTurnedOffEveryCommandIsStillAnswered()
    {
        // 0 means "off" (DESIGN); the fuzzer found every reply then failing the session, as the unbounded queue cannot count.
        await using var app = new ChatWebApplication(settings: new Dictionary<string, string?> { ["Gateway:SendQueueLimit"] = "0" });
        await using var client = await TcpTestClient.ConnectAsync(app);
        await client.RegisterAsync("alice");

        await client.SendAsync("/who");
        await client.ExpectAsync("* Online (1):");
        await client.ExpectAsync("*   alice: tcp");
        await client.SendAsync(new string('x', 2001));
        await client.ExpectAsync("! message too long (2001 characters, max 2000)");
        await client.SendAsync("exit");
        await client.ExpectAsync("* bye");
        Assert.Empty(ServerLog.Problems(Path.Combine(app.DataDirectory, "log.txt")));
    }

    private static async Task<TcpTestClient> ResumeAsync(ChatWebApplication app, string token)
    {
        var client = await TcpTestClient.ConnectAsync(app);
        await client.ExpectAsync("Enter your name:");
        await client.SendAsync($"/resume {token}");
        Assert.StartsWith("Welcome back, ", await client.ReadLineAsync());
        await client.ReadTokenAndHistoryAsync();
        return client;
    }

    /// <summary>The chat lines a reader got (without their time stamp), until it has <paramref name="count"/>; presence lines are skipped.</summary>
    private static async Task<List<string>> ReceiveMessagesAsync(TcpTestClient reader, int count)
    {
        var messages = new List<string>(count);
        while (messages.Count < count)
        {
            var line = await reader.ReadLineAsync(TimeSpan.FromSeconds(20));
            if (line.StartsWith("* ", StringComparison.Ordinal)) continue;
            Assert.StartsWith("[", line);
            messages.Add(line[(line.IndexOf("] sender: ", StringComparison.Ordinal) + "] sender: ".Length)..]);
        }
        return messages;
    }

    private static async Task<bool> ReadsToTheEndAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
            {
            }
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }
}
