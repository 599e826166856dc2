using Microsoft.AspNetCore.SignalR;

namespace ChatWeb.Server.Hubs;

/// <summary>
/// SignalR's own lifetime manager for the chat hub, which also hands each connection's
/// <see cref="HubConnectionContext"/> to the hub (through the connection's items, which the hub sees as
/// <c>Context.Items</c>), so the room can write to it directly: see <see cref="HubFanOut"/>.
/// </summary>
internal sealed class RoomHubLifetimeManager(ILogger<DefaultHubLifetimeManager<ChatHub>> logger) : DefaultHubLifetimeManager<ChatHub>(logger)
{
    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        // SignalR calls this before the hub's OnConnectedAsync.
        connection.Items[typeof(HubConnectionContext)] = connection;
        return base.OnConnectedAsync(connection);
    }

    public static HubConnectionContext ConnectionOf(HubCallerContext context) =>
        (HubConnectionContext)context.Items[typeof(HubConnectionContext)]!;
}
