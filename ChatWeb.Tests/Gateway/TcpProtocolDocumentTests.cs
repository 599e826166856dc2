using ChatWeb.Server.Gateway;

namespace ChatWeb.Tests.Gateway;

/// <summary>docs/protocol.md and the gateway say the same words: every line the server can send is documented as sent.</summary>
public sealed class TcpProtocolDocumentTests
{
    public static TheoryData<string> ServerLines() =>
    [
        WireText.NamePrompt,
        WireText.HelloAgain("<name>"),
        WireText.PasswordPrompt,
        WireText.NewUser("<name>"),
        WireText.ChoosePasswordPrompt,
        WireText.RepeatPasswordPrompt,
        WireText.Welcome("<name>", returning: false),
        WireText.Welcome("<name>", returning: true),
        WireText.SessionToken("<token>"),
        WireText.HistoryFooter,
        WireText.Bye,
        WireText.LineTooLong(8192),
        WireText.WrongPassword(2),
        WireText.WrongPassword(1),
        WireText.WrongPasswordLast,
        WireText.LockedOut,
        WireText.PasswordsDiffer,
        WireText.NameTaken("<name>"),
        WireText.ResumeRefused,
        WireText.SignInFirst,
        WireText.TooManySignIns,
        WireText.AlreadySignedIn,
        WireText.UnknownCommand("/word"),
        WireText.LoginTimedOut(60),
        WireText.TooManyConnections(20),
        WireText.Paused,
        .. WireText.Help,
    ];

    [Theory]
    [MemberData(nameof(ServerLines))]
    public void EveryServerLineIsInTheProtocolDocument(string line)
    {
        Assert.Contains(line, TcpSection);
    }

    private static readonly string TcpSection = ReadTcpSection();

    private static string ReadTcpSection()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "ChatWeb.sln"))) root = root.Parent!;
        var document = File.ReadAllText(Path.Combine(root.FullName, "docs", "protocol.md"));
        return document[document.IndexOf("## TCP gateway", StringComparison.Ordinal)..];
    }
}
