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
    public int OnlineOver(Transport transport) => Online.Count(u => u.Transports.Contains(transport));
}
