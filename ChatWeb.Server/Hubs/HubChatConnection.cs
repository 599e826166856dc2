using ChatWeb.Server.Chat;
using Microsoft.AspNetCore.SignalR;

namespace ChatWeb.Server.Hubs;

/// <summary>A browser tab (or script) in the room, as the room's registry sees it.</summary>
internal sealed class HubChatConnection(HubCallerContext context, string userName, IChatClient client) : IChatConnection
{
    public string Id => context.ConnectionId;
    public string UserName => userName;
    public Transport Transport => Transport.Web;

    private static readonly TimeSpan NoticeGrace = TimeSpan.FromMilliseconds(250);

    /// <summary>The reason is sent as a notice first; the client then sees the connection close.</summary>
    public async Task CloseAsync(string reason)
    {
        try
        {
            await client.Notice(new Notice(NoticeLevel.Warning, reason)).WaitAsync(TimeSpan.FromSeconds(2));
            // SignalR has no graceful server-side close with a reason: Abort is immediate and can drop
            // what the transport has not sent yet, so give the notice a moment to leave first.
            await Task.Delay(NoticeGrace);
        }
        catch (Exception)
        {
            // The connection is going away anyway; telling it why is best effort.
        }
        context.Abort();
    }
}
