using System.Net;

namespace ChatWeb.Bench.Transports;

/// <summary>
/// Where the server under test listens and how the bench's clients reach it. One instance per run;
/// it makes client number <c>i</c> of a transport (<c>mixed</c>: even numbers TCP, odd ones the hub).
/// </summary>
internal sealed class ServerUnderTest(IPEndPoint? tcp, Uri? http, IPEndPoint? irc, IReadOnlyList<BenchAccount> accounts) : IDisposable
{
    public static readonly string[] Transports = ["tcp", "hub", "mixed", "irc", "barehub"];

    // One pool for the API calls of the hub's password path; a thousand clients may ask at once.
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { Timeout = TimeSpan.FromMinutes(5) };

    public BenchClient CreateClient(string transport, int index, SignInPath path) => transport switch
    {
        "tcp" => new ChatWebTcpClient(Require(tcp, "--tcp"), AccountFor(index), path),
        "hub" => SignalRClient.ForChatWeb(Require(http, "--http"), AccountFor(index), path, _http),
        "mixed" => CreateClient(index % 2 == 0 ? "tcp" : "hub", index, path),
        "irc" => new IrcClient(Require(irc, "--irc"), $"u{index}"),
        "barehub" => SignalRClient.ForBareHub(Require(http, "--http"), $"u{index}"),
        _ => throw new ArgumentException($"unknown transport '{transport}' (one of {string.Join(", ", Transports)})"),
    };

    /// <summary>Clients beyond the number of accounts share them, as one user with several connections.</summary>
    private BenchAccount AccountFor(int index) =>
        accounts.Count > 0 ? accounts[index % accounts.Count] : throw new ArgumentException("this transport signs in to ChatWeb: give --accounts");

    private static T Require<T>(T? value, string option) where T : class =>
        value ?? throw new ArgumentException($"this transport needs {option}");

    public void Dispose() => _http.Dispose();
}
