using System.Text;
using System.Threading.Channels;

namespace ChatWeb.Client;

/// <summary>
/// The console, with input off the main loop: one long-running task reads it and feeds a channel,
/// so the session can wait for the keyboard and the server at once and be cancelled cleanly.
/// On a terminal it keeps the line being typed at the bottom: a line from the server is printed above
/// it and the input line is drawn again, so nothing gets garbled. Password input is not echoed.
/// When input or output is redirected (scripts) it reads and writes plain lines.
/// </summary>
internal sealed class Terminal
{
    private const string ClearLine = "\r\u001b[2K";

    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Lock _gate = new();
    private readonly StringBuilder _typed = new();
    private string _prompt = "";
    private bool _masked;

    public bool IsInteractive { get; } = !Console.IsInputRedirected && !Console.IsOutputRedirected;

    public void Start()
    {
        // A dedicated background thread: Console.ReadKey/ReadLine block and cannot be cancelled, and it must not hold up exit.
        Task.Factory.StartNew(IsInteractive ? ReadKeys : ReadLines, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>The next line typed, or null when input has ended.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        if (await _lines.Reader.WaitToReadAsync(cancellationToken) && _lines.Reader.TryRead(out var line)) return line;
        return null;
    }

    /// <summary>What the input line starts with; <paramref name="masked"/> hides what is typed (passwords).</summary>
    public void SetPrompt(string prompt, bool masked = false)
    {
        lock (_gate)
        {
            _prompt = prompt;
            _masked = masked;
            if (IsInteractive) Redraw();
        }
    }

    /// <summary>Prints a line above the one being typed.</summary>
    public void WriteLine(string text)
    {
        lock (_gate)
        {
            if (!IsInteractive)
            {
                Console.WriteLine(text);
                return;
            }
            Console.Write(ClearLine);
            Console.Write(text);
            Console.Write('\n');
            Redraw();
        }
    }

    /// <summary>Leaves the terminal on a fresh line (at exit).</summary>
    public void Finish()
    {
        lock (_gate)
        {
            if (IsInteractive) Console.Write(ClearLine);
            _prompt = "";
            _typed.Clear();
        }
    }

    private void ReadLines()
    {
        while (Console.ReadLine() is { } line) _lines.Writer.TryWrite(line);
        _lines.Writer.TryComplete();
    }

    private void ReadKeys()
    {
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                lock (_gate)
                {
                    switch (key.Key)
                    {
                        case ConsoleKey.Enter:
                            var line = _typed.ToString();
                            _typed.Clear();
                            // The finished line stays on screen as typed (a password as its prompt alone).
                            Console.Write(ClearLine + _prompt + (_masked ? "" : line) + "\n");
                            Redraw();
                            _lines.Writer.TryWrite(line);
                            break;
                        case ConsoleKey.Backspace:
                            if (_typed.Length > 0) _typed.Length--;
                            Redraw();
                            break;
                        case ConsoleKey.Escape:
                            _typed.Clear();
                            Redraw();
                            break;
                        default:
                            if (key.KeyChar == '\u0004' && _typed.Length == 0)
                            {
                                // Ctrl+D on an empty line: the end of input, as in a shell.
                                _lines.Writer.TryComplete();
                                return;
                            }
                            if (!char.IsControl(key.KeyChar))
                            {
                                _typed.Append(key.KeyChar);
                                Redraw();
                            }
                            break;
                    }
                }
            }
        }
        catch (InvalidOperationException)
        {
            // No console to read keys from after all.
            _lines.Writer.TryComplete();
        }
    }

    /// <summary>Draws the prompt and the typed text; a long text shows its end, so the line never wraps.</summary>
    private void Redraw()
    {
        var shown = _masked ? "" : _typed.ToString();
        var room = Math.Max(10, SafeWidth() - _prompt.Length - 1);
        if (shown.Length > room) shown = shown[^room..];
        Console.Write(ClearLine + _prompt + shown);
    }

    private static int SafeWidth()
    {
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
