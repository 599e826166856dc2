namespace ChatWeb.Client;

/// <summary>The gateway's lines that the client acts on (docs/protocol.md; the server's tests hold the same text).</summary>
internal static class ServerText
{
    public const string NamePrompt = "Enter your name:";
    public const string ResumeRefusedStart = "! that session token is not valid";
    private const string TokenStart = "Session token: ";

    /// <summary>Every prompt that wants a password: a known name's, a new name's, and the repeat.</summary>
    public static bool IsPasswordPrompt(string line) =>
        line is "Enter your password:" or "Choose a password:" or "Repeat the password:"
        || (line.StartsWith("Hello again, ", StringComparison.Ordinal) && line.EndsWith("! Enter your password:", StringComparison.Ordinal))
        || (line.StartsWith("New user ", StringComparison.Ordinal) && line.EndsWith(". Choose a password:", StringComparison.Ordinal));

    public static bool IsWelcome(string line) =>
        (line.StartsWith("Welcome, ", StringComparison.Ordinal) || line.StartsWith("Welcome back, ", StringComparison.Ordinal))
        && line.EndsWith('!');

    public static string? TokenOf(string line) =>
        line.StartsWith(TokenStart, StringComparison.Ordinal) && line.Length > TokenStart.Length ? line[TokenStart.Length..] : null;
}
