using ChatWeb.Server.Chat;

namespace ChatWeb.Server.Control;

/// <summary>What the operator sees at a glance, on the dashboard and from the console's <c>status</c>.</summary>
public sealed record ServerStatus(
    TimeSpan Uptime,
    IReadOnlyList<string> HttpAddresses,
    int TcpPort,
    bool TcpListening,
    bool Paused,
    IReadOnlyList<OnlineUser> Online,
    int MessagesToday,
    long LogFileBytes,
    bool ConsoleLogs,
    bool StorageHealthy)
{
    public int OnlineOver(MessageSource transport) => Online.Count(u => u.Transports.Contains(transport));

    /// <summary>"5555", or "5555 (not listening)" while paused or while another program holds the port.</summary>
    public string Tcp => TcpListening
        ? TcpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : $"{TcpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)} (not listening)";
}
