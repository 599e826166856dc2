using ChatWeb.Server.Chat;

namespace ChatWeb.Server.Control;

/// <summary>What the operator sees at a glance, on the dashboard and from the console's <c>status</c>.</summary>
public sealed record ServerStatus(
    TimeSpan Uptime,
    IReadOnlyList<string> HttpAddresses,
    int? TcpPort,
    bool Paused,
    IReadOnlyList<OnlineUser> Online,
    int MessagesToday,
    long LogFileBytes,
    bool ConsoleLogs,
    bool StorageHealthy)
{
    public int OnlineOver(MessageSource transport) => Online.Count(u => u.Transports.Contains(transport));
}

/// <summary>The outcome of an operator action, in words for the console and the dashboard.</summary>
public sealed record ControlResult(bool Succeeded, string Message)
{
    public static ControlResult Done(string message) => new(true, message);
    public static ControlResult Failed(string message) => new(false, message);
}
