using System.Globalization;

namespace ChatWeb.Client;

/// <summary>The command line: where to connect, as whom, and whether to resume the saved session.</summary>
internal sealed record ClientOptions(string? Host, int? Port, string? User, bool NoResume, bool Help)
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 5555;

    public const string Usage = """
        ChatWeb.Client: the console client of ChatWeb's TCP gateway.

        Usage: ChatWeb.Client [--host <address>] [--port <port>] [--user <name>] [--no-resume]

          --host <address>  the server (asked when missing; default 127.0.0.1)
          --port <port>     its TCP gateway port (asked when missing; default 5555)
          --user <name>     answer the name prompt with this name
          --no-resume       do not resume the saved session; sign in with name and password
          --help            this text

        Signing in, in the server's order:
          Enter your name:                        your name; a new name registers it
          Hello again, <name>! Enter your password:   (a known name)
          New user <name>. Choose a password:     then Repeat the password:   (a new name)
        Passwords are typed without echo on a terminal, and read as plain lines when input is
        redirected, so scripts can sign in. After signing in, the session token is saved (per
        host and port, readable by you only) under your config folder, chatweb/; the next start
        resumes with it without a password. A token the server refuses is deleted.

        Then type to chat. /who shows who is online, /help the commands; exit or /quit (or Ctrl+C) leaves.
        """;

    /// <summary>Parses the arguments; an error message instead when they make no sense.</summary>
    public static (ClientOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        string? host = null, user = null;
        int? port = null;
        bool noResume = false, help = false;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
            string? Value() => inline ?? (i + 1 < args.Count ? args[++i] : null);
            switch (name)
            {
                case "--host":
                    host = Value();
                    if (string.IsNullOrWhiteSpace(host)) return (null, "--host needs an address");
                    break;
                case "--port":
                    var text = Value();
                    if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
                        return (null, $"--port needs a port number (1-65535), not '{text}'");
                    port = number;
                    break;
                case "--user":
                    user = Value();
                    if (string.IsNullOrWhiteSpace(user)) return (null, "--user needs a name");
                    break;
                case "--no-resume":
                    noResume = true;
                    break;
                case "--help" or "-h" or "-?":
                    help = true;
                    break;
                default:
                    return (null, $"unknown option '{args[i]}'");
            }
        }
        return (new ClientOptions(host, port, user, noResume, help), null);
    }
}
