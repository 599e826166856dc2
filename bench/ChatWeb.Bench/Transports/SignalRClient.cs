using System.Net.Http.Json;

namespace ChatWeb.Bench.Transports;

/// <summary>
/// A SignalR client speaking the JSON hub protocol over a WebSocket (the .NET SignalR client does not
/// restore here): the handshake, <c>Send(text)</c> as a fire-and-forget invocation (no invocation id, so
/// no completion comes back), pings so the server keeps an otherwise silent connection, and the hub's
/// own "you are in" call as the end of sign-in.
/// </summary>
internal sealed class SignalRClient : BenchClient
{
    private const byte RecordSeparator = 0x1e;
    private static readonly TimeSpan PingInterval = TimeSpan.FromSeconds(10);
    private static readonly byte[] Handshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();
    private static readonly MessageFraming SendFraming = new("{\"type\":1,\"target\":\"Send\",\"arguments\":[\""u8.ToArray(), "\"]}\u001e"u8.ToArray());

    private readonly Func<CancellationToken, Task<Uri>> _address;
    private readonly string _enteredTarget;
    private readonly CancellationTokenSource _pinging = new();
    private Task _pings = Task.CompletedTask;

    private SignalRClient(string transport, Func<CancellationToken, Task<Uri>> address, string enteredTarget)
    {
        Transport = transport;
        _address = address;
        _enteredTarget = $"\"target\":\"{enteredTarget}\"";
    }

    /// <summary>ChatWeb's hub: signed in with an access token (taken from the API first on the password path); in the room once <c>Users</c> arrives.</summary>
    public static SignalRClient ForChatWeb(Uri server, BenchAccount account, SignInPath path, HttpClient http) =>
        new("hub", async cancellationToken =>
        {
            var token = path == SignInPath.Resume ? account.Token : await TokenAsync(http, server, account, cancellationToken);
            return WebSocketUri(server, "/hubs/chat", "access_token=" + Uri.EscapeDataString(token));
        }, "Users");

    /// <summary>The bare broadcast hub: no accounts; in the room once <c>Ready</c> arrives.</summary>
    public static SignalRClient ForBareHub(Uri server, string userName) =>
        new("barehub", _ => Task.FromResult(WebSocketUri(server, "/hub", "user=" + Uri.EscapeDataString(userName))), "Ready");

    public override string Transport { get; }
    public override bool EchoesOwnMessages => true;
    public override MessageFraming Framing => SendFraming;
    protected override byte Delimiter => RecordSeparator;

    public override async Task JoinAsync(CancellationToken cancellationToken)
    {
        var uri = await _address(cancellationToken);
        StartReceiving(await WebSocketLink.ConnectAsync(uri, cancellationToken));
        await SendAsync(Handshake, cancellationToken);
        await ExpectAsync(line => line == "{}", cancellationToken);
        await ExpectAsync(IsRoomEntered, cancellationToken);
        _pings = PingAsync(_pinging.Token);
    }

    protected override bool IsRoomEntered(string line) => line.Contains(_enteredTarget, StringComparison.Ordinal);

    // A refused handshake answers {"error":...}; a refused connection (paused, unauthorized) closes with type 7.
    protected override bool IsFailure(string line) =>
        line.StartsWith("{\"error\"", StringComparison.Ordinal) || line.StartsWith("{\"type\":7", StringComparison.Ordinal);

    protected override bool IsServerError(string line) => IsFailure(line) || IsWarningNotice(line);

    /// <summary>
    /// A <c>Notice</c> above info: the hub's word for being paused, kicked, shut down or refused. Info notices
    /// (resumed) are not errors. A chat text cannot fake one: its quotes arrive escaped.
    /// </summary>
    internal static bool IsWarningNotice(string line) =>
        line.Contains("\"target\":\"Notice\"", StringComparison.Ordinal) && !line.Contains("\"level\":\"info\"", StringComparison.Ordinal);

    private async Task PingAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken)) await SendAsync(Ping, cancellationToken);
        }
        catch (Exception)
        {
            // Stopped, or the connection ended: either way there is nobody left to ping.
        }
    }

    private static async Task<string> TokenAsync(HttpClient http, Uri server, BenchAccount account, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(server, "/api/account/token"), new { userName = account.UserName, password = account.Password }, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new BenchClientException($"token for {account.UserName}: HTTP {(int)response.StatusCode}");
        var body = await response.Content.ReadFromJsonAsync<TokenBody>(cancellationToken);
        return body?.AccessToken ?? throw new BenchClientException("token response without accessToken");
    }

    private static Uri WebSocketUri(Uri server, string path, string query) =>
        new UriBuilder(server) { Scheme = server.Scheme == "https" ? "wss" : "ws", Path = path, Query = query }.Uri;

    public override async ValueTask DisposeAsync()
    {
        await _pinging.CancelAsync();
        await _pings;
        _pinging.Dispose();
        await base.DisposeAsync();
    }

    private sealed record TokenBody(string AccessToken);
}
