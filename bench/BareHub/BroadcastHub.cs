using Microsoft.AspNetCore.SignalR;

namespace BareHub;

/// <summary>Shaped like ChatWeb's message, so that both hubs pay the same to serialize what they broadcast.</summary>
public sealed record BroadcastMessage(long Id, string User, string Text, DateTime SentAt, string Source);

/// <summary>
/// Everything sent to it goes to everybody, its sender included, as ChatWeb's hub does; nothing is stored,
/// ordered or checked. <c>Ready</c> tells a new client it is in (ChatWeb's hub says so with <c>Users</c>).
/// </summary>
public sealed class BroadcastHub : Hub
{
    private static long s_lastId;

    public override Task OnConnectedAsync()
    {
        Context.Items["user"] = Context.GetHttpContext()?.Request.Query["user"].ToString() ?? "";
        return Clients.Caller.SendAsync("Ready");
    }

    public Task Send(string text) =>
        Clients.All.SendAsync("Message", new BroadcastMessage(Interlocked.Increment(ref s_lastId), (string)Context.Items["user"]!, text, DateTime.UtcNow, "web"));
}
