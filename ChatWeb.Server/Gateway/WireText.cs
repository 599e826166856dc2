using System.Globalization;
using System.Text;
using ChatWeb.Server.Chat;

namespace ChatWeb.Server.Gateway;

/// <summary>
/// Every line the gateway sends, in one place: this is the TCP contract of DESIGN.md and docs/protocol.md,
/// and the tests hold it. Lines end with LF alone; clients may send LF or CRLF.
/// </summary>
internal static class WireText
{
    public const string NamePrompt = "Enter your name:";
    public const string PasswordPrompt = "Enter your password:";
    public const string ChoosePasswordPrompt = "Choose a password:";
    public const string RepeatPasswordPrompt = "Repeat the password:";
    public const string HistoryFooter = "--- end of history ---";
    public const string Bye = "* bye";

    public const int PasswordAttempts = 3;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static string HelloAgain(string name) => $"Hello again, {name}! Enter your password:";
    public static string NewUser(string name) => $"New user {name}. Choose a password:";
    public static string Welcome(string name, bool returning) => returning ? $"Welcome back, {name}!" : $"Welcome, {name}!";
    public static string SessionToken(string token) => $"Session token: {token}";

    public static string HistoryHeader(int count) => count == 1 ? "--- history: 1 message ---" : $"--- history: {count} messages ---";

    /// <summary><c>[HH:mm:ss] name: text</c> in the server's local time.</summary>
    public static string Message(ChatMessage message, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(message.SentAt, DateTimeKind.Utc), zone);
        return $"[{local.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message.User}: {message.Text}";
    }

    public static string Joined(string name) => $"* {name} joined";
    public static string Left(string name) => $"* {name} left";

    /// <summary>Server notices (paused, resumed, shutting down) as <c>* </c> lines; only error notices as <c>! </c> lines.</summary>
    public static string Notice(Notice notice) => notice.Level == NoticeLevel.Error ? Error(notice.Text) : $"* {notice.Text}";

    public static string Error(string text) => $"! {text}";

    public static string LineTooLong(int maxBytes) => Error($"line too long (max {maxBytes} bytes)");
    public static string WrongPassword(int left) => Error(left == 1 ? "wrong password (1 try left)" : $"wrong password ({left} tries left)");
    public static readonly string WrongPasswordLast = Error($"wrong password {PasswordAttempts} times; goodbye");
    public static readonly string LockedOut = Error("account locked after too many failed sign-ins; try again in a few minutes");
    public static readonly string TooManySignIns = Error("too many sign-in attempts from your address; try again in a minute");
    public static readonly string PasswordsDiffer = Error("the passwords do not match");
    public static string NameTaken(string name) => Error($"the name {name} was just taken; choose another");
    public static readonly string ResumeRefused = Error("that session token is not valid (expired, revoked or forged); sign in with your name");
    public static readonly string SignInFirst = Error("sign in first: type your name, or /resume <token>");
    public static readonly string AlreadySignedIn = Error("you are already signed in");
    public static string UnknownCommand(string command) => Error($"unknown command {command}; type /help");
    public static string LoginTimedOut(int seconds) => Error(seconds == 1 ? "no sign-in within 1 second; goodbye" : $"no sign-in within {seconds} seconds; goodbye");
    public static string TooManyConnections(int max) => Error($"too many connections from your address (max {max}); goodbye");
    public static readonly string Paused = Error("server paused: new connections are refused; try again later");

    public static IReadOnlyList<string> Help { get; } =
    [
        "* Commands:",
        "*   /who            who is online and how they are connected",
        "*   /help           this list",
        "*   exit or /quit   leave the chat",
        "* Anything else you type is sent to everyone.",
    ];

    /// <summary><c>* Online (2):</c>, then one <c>*   name: web, tcp</c> line per user.</summary>
    public static IEnumerable<string> Who(IReadOnlyList<OnlineUser> users)
    {
        yield return $"* Online ({users.Count}):";
        foreach (var user in users)
            yield return $"*   {user.UserName}: {string.Join(", ", user.Transports.Select(t => t.ToString().ToLowerInvariant()))}";
    }

    /// <summary>
    /// Encodes one line for the wire, terminated by LF. A text from elsewhere (a browser) may hold line
    /// breaks or terminal escapes: a line break becomes a new line indented by two spaces, so it can never
    /// pass for a <c>[time] name:</c> line, and other control characters become U+FFFD.
    /// </summary>
    public static byte[] Encode(string line)
    {
        if (!NeedsCleaning(line)) return Utf8.GetBytes(line + "\n");
        var clean = new StringBuilder(line.Length + 8);
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\r' && i + 1 < line.Length && line[i + 1] == '\n') continue;
            if (c is '\n' or '\r') clean.Append("\n  ");
            else if (c != '\t' && char.IsControl(c)) clean.Append('\uFFFD');
            else clean.Append(c);
        }
        return Utf8.GetBytes(clean.Append('\n').ToString());
    }

    private static bool NeedsCleaning(string line)
    {
        foreach (var c in line)
        {
            if (c != '\t' && char.IsControl(c)) return true;
        }
        return false;
    }
}
