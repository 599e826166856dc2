using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatWeb.Tests.Infrastructure;

namespace ChatWeb.Tests.Fuzzing;

/// <summary>
/// Two ordinary users, one on TCP and one on the hub, talking all through the fuzzing: each round both
/// say a numbered line, and the round ends when each has heard the other. Whatever the junk does, every
/// numbered line must arrive, once, in the order said, and in time.
/// </summary>
internal sealed partial class ChattingPair : IAsyncDisposable
{
    private static readonly TimeSpan RoundTime = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

    /// <summary>As many as one History call returns.</summary>
    public const int KeptMessages = 500;

    private readonly TcpTestClient _tcp;
    private readonly HubTestClient _web;
    private readonly string _tcpName;
    private readonly string _webName;
    private readonly List<int> _heardOnTcp = [];
    private int _webEventsSeen;
    private readonly List<int> _heardOnWeb = [];
    private readonly List<long> _idsOnWeb = [];
    private readonly Queue<JsonElement> _lastOnWeb = new();

    private ChattingPair(TcpTestClient tcp, string tcpName, HubTestClient web, string webName)
    {
        _tcp = tcp;
        _tcpName = tcpName;
        _web = web;
        _webName = webName;
    }

    public int Rounds { get; private set; }

    public TimeSpan SlowestRound { get; private set; }

    public static async Task<ChattingPair> StartAsync(Uri baseAddress, int tcpPort, (string Name, string Token) tcpUser, (string Name, string Token) webUser)
    {
        var tcp = await TcpTestClient.ConnectAsync(tcpPort);
        await tcp.ExpectAsync("Enter your name:");
        await tcp.SendAsync($"/resume {tcpUser.Token}");
        await tcp.ExpectAsync($"Welcome back, {tcpUser.Name}!");
        await tcp.ReadTokenAndHistoryAsync();
        var web = await HubTestClient.ConnectAsync(baseAddress, webUser.Token);
        // The handshake comes before the hub joins the room; the connect-time Users event comes after. Until
        // then a line from the TCP user reaches the web user in the History event, not as a Message.
        await web.NextAsync("Users", timeout: TimeSpan.FromSeconds(20));
        return new ChattingPair(tcp, tcpUser.Name, web, webUser.Name);
    }

    /// <summary>Chats until <paramref name="stop"/> is cancelled; throws as soon as a line is lost, repeated, out of order or late.</summary>
    public async Task ChatAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var round = Stopwatch.StartNew();
            var n = Rounds;
            await _tcp.SendAsync($"pair-tcp {n}");
            var stored = await _web.InvokeAsync("Send", $"pair-web {n}");
            if (stored.GetProperty("text").GetString() != $"pair-web {n}") throw new InvalidOperationException($"Send answered {stored}");

            await HearOnTcpAsync(n);
            await HearOnWebAsync(n);
            Rounds++;
            if (round.Elapsed > SlowestRound) SlowestRound = round.Elapsed;
            try
            {
                await Task.Delay(Pause, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The TCP user reads on (past the fuzz users' lines) until the web user's line <paramref name="n"/>.</summary>
    private async Task HearOnTcpAsync(int n)
    {
        var deadline = DateTime.UtcNow + RoundTime;
        while (_heardOnTcp.Count == 0 || _heardOnTcp[^1] < n)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"{_tcpName} (TCP) did not hear pair-web {n} within {RoundTime.TotalSeconds} s");
            var line = await _tcp.ReadLineAsync(left);
            var match = WebLine().Match(line);
            if (!match.Success || match.Groups["user"].Value != _webName) continue;
            _heardOnTcp.Add(int.Parse(match.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture));
            AssertInOrder(_heardOnTcp, _tcpName);
        }
    }

    /// <summary>The web user's Message events, in arrival order, until the TCP user's line <paramref name="n"/>.</summary>
    private Task HearOnWebAsync(int n) =>
        Wait.UntilAsync(() =>
        {
            TakeNewWebEvents();
            return _heardOnWeb.Count > 0 && _heardOnWeb[^1] >= n;
        }, () => $"{_webName} (web) to hear pair-tcp {n} (connection closed: {_web.Closed.IsCompleted}, {_web.Events.Count} events)", RoundTime);

    /// <summary>Checks the web user's events that came since the last look: one order, nothing lost.</summary>
    private void TakeNewWebEvents()
    {
        var events = _web.Events;
        for (; _webEventsSeen < events.Count; _webEventsSeen++)
        {
            if (events[_webEventsSeen].Target != "Message") continue;
            var message = events[_webEventsSeen].Argument;
            // One order for everybody, and every stored message for everybody: ids come one after another,
            // whoever sent what (no write fails in this run, so no id is skipped).
            var id = message.GetProperty("id").GetInt64();
            if (_idsOnWeb.Count > 0 && id != _idsOnWeb[^1] + 1)
                throw new InvalidOperationException($"{_webName} (web) got message {id} right after message {_idsOnWeb[^1]}: lost or out of order");
            _idsOnWeb.Add(id);
            _lastOnWeb.Enqueue(message);
            if (_lastOnWeb.Count > KeptMessages) _lastOnWeb.Dequeue();
            if (message.GetProperty("user").GetString() != _tcpName) continue;
            _heardOnWeb.Add(int.Parse(message.GetProperty("text").GetString()!["pair-tcp ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            AssertInOrder(_heardOnWeb, _webName);
        }
    }

    /// <summary>Everything heard so far is exactly 0, 1, 2, …: nothing lost, nothing twice, nothing out of order.</summary>
    private static void AssertInOrder(List<int> heard, string who)
    {
        if (heard[^1] != heard.Count - 1)
            throw new InvalidOperationException($"{who} heard the other's lines as {string.Join(",", heard.TakeLast(10))}: one was lost, repeated or out of order");
    }

    /// <summary>Messages from every sender that reached the web user: how busy the room was.</summary>
    public int MessagesSeenOnWeb => _idsOnWeb.Count;

    /// <summary>The last <see cref="KeptMessages"/> messages the web user got, oldest first, ids one after another.</summary>
    public IReadOnlyList<JsonElement> LastMessagesOnWeb => _lastOnWeb.ToList();

    public async ValueTask DisposeAsync()
    {
        await _tcp.DisposeAsync();
        await _web.DisposeAsync();
    }

    [GeneratedRegex(@"^\[\d\d:\d\d:\d\d\] (?<user>[^:]+): pair-web (?<n>\d+)$")]
    private static partial Regex WebLine();
}
