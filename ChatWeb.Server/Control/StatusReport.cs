using System.Diagnostics;
using ChatWeb.Server.AdminLog;
using ChatWeb.Server.Chat;
using ChatWeb.Server.Gateway;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ChatWeb.Server.Control;

/// <summary>The server's state gathered from each feature into one <see cref="ServerStatus"/>, for the dashboard and the console.</summary>
public sealed class StatusReport(
    RoomAdmission admission,
    ChatRoom room,
    IChatHistory history,
    GatewayStatus gateway,
    ServerLogs logs,
    IServer server,
    TimeProvider time)
{
    private readonly DateTime _startedAt = Process.GetCurrentProcess().StartTime.ToUniversalTime();

    public ServerStatus Read()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new ServerStatus(
            Uptime: now - _startedAt,
            HttpAddresses: server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [],
            TcpPort: gateway.Port,
            TcpListening: gateway.IsListening,
            Paused: admission.IsPaused,
            Online: room.Who(),
            MessagesToday: history.CountOn(now),
            LogFileBytes: logs.FileBytes,
            ConsoleLogs: logs.ConsoleIsOn,
            StorageHealthy: room.IsStorageHealthy);
    }
}
