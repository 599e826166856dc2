using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace ChatWeb.Client;

/// <summary>
/// One connection to the gateway. The server leads the sign-in with its prompts (docs/protocol.md);
/// the session answers them itself where it can (a saved token, <c>--user</c>) and asks the user
/// otherwise, then relays lines both ways until either side leaves.
/// </summary>
internal sealed class ChatSession(ClientOptions options, string host, int port, Terminal terminal, TokenStore tokens)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan GoodbyeTimeout = TimeSpan.FromSeconds(3);
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private NetworkStream? _stream;
    private string? _savedToken;
    private string? _user;
    private bool _signedIn;
    private bool _awaitingAnswer;
    private bool _leaving;

    /// <returns>The process exit code: 0 when the user left, 1 when the server could not be reached or closed the connection.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var tcp = new TcpClient();
        if (await ConnectAsync(tcp, cancellationToken) is { } problem)
        {
            terminal.WriteLine(problem);
            return 1;
        }
        _stream = tcp.GetStream();
        _savedToken = options.NoResume ? null : tokens.Load(host, port);
        _user = options.User;

        var serverLines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _ = ReceiveAsync(serverLines.Writer);
        try
        {
            return await RelayAsync(serverLines.Reader, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: say goodbye to the server if it still listens, and leave.
            await SendAsync("exit").WaitAsync(TimeSpan.FromSeconds(1), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            terminal.Finish();
            terminal.WriteLine("Bye.");
            return 0;
        }
    }

    private async Task<string?> ConnectAsync(TcpClient tcp, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await tcp.ConnectAsync(host, port, timeout.Token);
            return null;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return $"Cannot connect to {host}:{port}: connection refused. The server is down or paused; try again later.";
        }
        catch (SocketException ex)
        {
            return $"Cannot connect to {host}:{port}: {ex.Message}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"Cannot connect to {host}:{port}: no answer within {ConnectTimeout.TotalSeconds:0} seconds.";
        }
    }

    private async Task<int> RelayAsync(ChannelReader<string> serverLines, CancellationToken cancellationToken)
    {
        var fromServer = NextAsync(serverLines, cancellationToken);
        Task<string?>? typed = null;
        Task? goodbyeDeadline = null;
        while (true)
        {
            // The keyboard is read only when the server asked something or the user is in the chat.
            if (typed is null && !_leaving && (_signedIn || _awaitingAnswer)) typed = terminal.ReadLineAsync(cancellationToken);
            var done = await Task.WhenAny(new[] { fromServer, typed, goodbyeDeadline }.OfType<Task>());

            if (done == goodbyeDeadline) return 0;
            if (done == fromServer)
            {
                if (await fromServer is not { } line)
                {
                    if (_leaving) return 0;
                    terminal.Finish();
                    terminal.WriteLine(_signedIn ? "The server closed the connection." : "The server closed the connection before you were signed in.");
                    return 1;
                }
                fromServer = NextAsync(serverLines, cancellationToken);
                await HandleAsync(line);
                continue;
            }

            var input = await typed!;
            typed = null;
            _awaitingAnswer = false;
            if (!_signedIn) terminal.SetPrompt("");
            if (input is null || IsExit(input))
            {
                // Typed exit, or input ended (a script ran out): leave, after the server has what came before.
                _leaving = true;
                goodbyeDeadline = Task.Delay(GoodbyeTimeout, cancellationToken);
                await SendAsync(input ?? "exit");
                continue;
            }
            await SendAsync(input);
        }
    }

    private async Task HandleAsync(string line)
    {
        if (line == ServerText.NamePrompt)
        {
            if (_savedToken is { } token)
            {
                _savedToken = null;
                terminal.WriteLine("(resuming the saved session)");
                await SendAsync($"/resume {token}");
            }
            else if (_user is { } user)
            {
                _user = null;
                terminal.WriteLine($"{line} {user}");
                await SendAsync(user);
            }
            else
            {
                Ask(line, masked: false);
            }
        }
        else if (ServerText.IsPasswordPrompt(line))
        {
            Ask(line, masked: true);
        }
        else if (line.StartsWith(ServerText.ResumeRefusedStart, StringComparison.Ordinal))
        {
            tokens.Delete(host, port);
            terminal.WriteLine(line);
        }
        else if (ServerText.TokenOf(line) is { } token)
        {
            // A secret: kept for the next start, never shown.
            tokens.Save(host, port, token);
        }
        else
        {
            terminal.WriteLine(line);
            if (!_signedIn && ServerText.IsWelcome(line))
            {
                _signedIn = true;
                terminal.SetPrompt("> ");
            }
        }
    }

    /// <summary>A prompt becomes the input line's own prompt on a terminal; a script just sees it as a line.</summary>
    private void Ask(string prompt, bool masked)
    {
        _awaitingAnswer = true;
        if (terminal.IsInteractive) terminal.SetPrompt(prompt + " ", masked);
        else terminal.WriteLine(prompt);
    }

    private async Task SendAsync(string line)
    {
        try
        {
            await _stream!.WriteAsync(Utf8.GetBytes(line + "\n"));
        }
        catch (IOException)
        {
            // The server is gone; the read side reports it.
        }
    }

    private async Task ReceiveAsync(ChannelWriter<string> lines)
    {
        try
        {
            using var reader = new StreamReader(_stream!, Utf8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            while (await reader.ReadLineAsync() is { } line) lines.TryWrite(line);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // A reset is an end like any other.
        }
        finally
        {
            lines.TryComplete();
        }
    }

    private static async Task<string?> NextAsync(ChannelReader<string> lines, CancellationToken cancellationToken) =>
        await lines.WaitToReadAsync(cancellationToken) && lines.TryRead(out var line) ? line : null;

    private static bool IsExit(string text) =>
        text.Trim() is var t && (t.Equals("exit", StringComparison.OrdinalIgnoreCase) || t.Equals("/quit", StringComparison.OrdinalIgnoreCase));
}
