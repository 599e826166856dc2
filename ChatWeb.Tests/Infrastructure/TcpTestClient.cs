using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using ChatWeb.Server.Gateway;

namespace ChatWeb.Tests.Infrastructure;

/// <summary>
/// A netcat-like client of the TCP gateway: sends lines, and reads the server's lines in the background
/// so tests can wait for them with a timeout. Lines read are consumed; the last few are kept for failure messages.
/// </summary>
public sealed class TcpTestClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Queue<string> _recent = new();
    private readonly Task _reading;

    private TcpTestClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reading = Task.Run(ReadLoopAsync);
    }

    public static async Task<TcpTestClient> ConnectAsync(int port)
    {
        var tcp = new TcpClient(AddressFamily.InterNetwork);
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await tcp.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
        return new TcpTestClient(tcp);
    }

    public static Task<TcpTestClient> ConnectAsync(ChatWebApplication app) => ConnectAsync(app.TcpPort());

    public Task SendAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\n"));

    public async Task SendRawAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The next line; throws when none comes in time or the server closed the connection.</summary>
    public async Task<string> ReadLineAsync(TimeSpan? timeout = null) =>
        await ReadLineOrEndAsync(timeout) ?? throw new EndOfStreamException($"the server closed the connection; last lines: {Recent()}");

    /// <summary>The next line, or null when the server closed the connection.</summary>
    public async Task<string?> ReadLineOrEndAsync(TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            if (!await _lines.Reader.WaitToReadAsync(cancel.Token)) return null;
            _lines.Reader.TryRead(out var line);
            lock (_recent)
            {
                _recent.Enqueue(line!);
                if (_recent.Count > 20) _recent.Dequeue();
            }
            return line;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no line within {(timeout ?? DefaultTimeout).TotalSeconds} s; last lines: {Recent()}");
        }
    }

    /// <summary>Reads the next line and checks it is exactly <paramref name="expected"/>.</summary>
    public async Task ExpectAsync(string expected) => Assert.Equal(expected, await ReadLineAsync());

    /// <summary>Reads lines until one matches and returns it; the lines before it are returned through <paramref name="skipped"/>.</summary>
    public async Task<string> ReadUntilAsync(Func<string, bool> match, List<string>? skipped = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var line = await ReadLineAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            if (match(line)) return line;
            skipped?.Add(line);
        }
    }

    /// <summary>Every line until the server closes the connection.</summary>
    public async Task<List<string>> ReadToEndAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var lines = new List<string>();
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (await ReadLineOrEndAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1)) is not { } line) return lines;
            lines.Add(line);
        }
    }

    /// <summary>Registers a new name at the prompts; returns the session token. Reads through the history.</summary>
    public async Task<string> RegisterAsync(string name, string password = "password-1")
    {
        await ExpectAsync("Enter your name:");
        await SendAsync(name);
        await ExpectAsync($"New user {name}. Choose a password:");
        await SendAsync(password);
        await ExpectAsync("Repeat the password:");
        await SendAsync(password);
        await ExpectAsync($"Welcome, {name}!");
        return await ReadTokenAndHistoryAsync();
    }

    /// <summary>Signs a known name in with its password; returns the session token. Reads through the history.</summary>
    public async Task<string> SignInAsync(string name, string password = "password-1")
    {
        await ExpectAsync("Enter your name:");
        await SendAsync(name);
        await ExpectAsync($"Hello again, {name}! Enter your password:");
        await SendAsync(password);
        Assert.Matches($"^Welcome( back)?, {name}!$", await ReadLineAsync());
        return await ReadTokenAndHistoryAsync();
    }

    /// <summary>Signs <paramref name="name"/> in with <c>/resume</c> and a session or access token; returns the new session token. Reads through the history.</summary>
    public async Task<string> ResumeAsync(string name, string token)
    {
        await ExpectAsync("Enter your name:");
        await SendAsync($"/resume {token}");
        await ExpectAsync($"Welcome back, {name}!");
        return await ReadTokenAndHistoryAsync();
    }

    /// <summary>After the welcome line: the token line, then the history block; returns the token.</summary>
    public async Task<string> ReadTokenAndHistoryAsync(List<string>? history = null)
    {
        var tokenLine = await ReadLineAsync();
        Assert.StartsWith("Session token: ", tokenLine);
        Assert.StartsWith("--- history: ", await ReadLineAsync());
        await ReadUntilAsync(line => line == "--- end of history ---", history);
        return tokenLine["Session token: ".Length..];
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            using var reader = new StreamReader(_stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            while (await reader.ReadLineAsync() is { } line) _lines.Writer.TryWrite(line);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // Reset or closed by us: the same as an end for the test.
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }

    private string Recent()
    {
        lock (_recent) return _recent.Count == 0 ? "(none)" : string.Join(" | ", _recent);
    }

    public async ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        await _reading.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
    }
}

public static class TcpTestApplication
{
    /// <summary>The port the gateway really listens on (tests configure port 0).</summary>
    public static int TcpPort(this ChatWebApplication app) => app.Get<GatewayStatus>().Port;
}
