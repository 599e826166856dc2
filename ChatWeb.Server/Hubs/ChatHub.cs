using ChatWeb.Server.Accounts;
using ChatWeb.Server.Chat;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Hubs;

/// <summary>A thin adapter: the room does the work, the hub speaks SignalR.</summary>
[Authorize(AuthenticationSchemes = AccountsExtensions.Scheme)]
internal sealed partial class ChatHub(
    ChatRoom room, HubFanOut fanOut, RoomAdmission admission, AccountSessions accounts, IHubContext<ChatHub, IChatClient> hubContext,
    IOptions<ChatHubOptions> options, ILogger<ChatHub> logger)
    : Hub<IChatClient>
{
    public const string Path = "/hubs/chat";
    public const string PausedMessage = "server paused";
    public const string ClosingMessage = "this connection is being closed";

    private string UserName => Context.User!.Identity!.Name!;

    public override async Task OnConnectedAsync()
    {
        // A HubException's text reaches the client in the close message, so the page can say why.
        if (admission.IsPaused) throw new HubException(PausedMessage);

        Context.Items[typeof(HistoryReader)] = room.NewHistoryReader();
        var member = new RoomMember(Context.ConnectionId, UserName, MessageSource.Web);
        var connection = new HubChatConnection(Context, UserName, hubContext.Clients.Client(Context.ConnectionId), options.Value.SendQueueLimit, logger);
        fanOut.Connections.Add(member.Id, connection);
        Context.Items[typeof(RoomMember)] = member;
        Context.Items[typeof(HubChatConnection)] = connection;
        try
        {
            var join = await room.JoinAsync(member, Context.ConnectionAborted);
            // Checked again once in the room: an account changed after this request was authorized, before the room
            // knew the connection, was missed by the revocation that went with the change.
            if (!accounts.IsCurrent(Context.User!))
            {
                Context.Abort();
                return;
            }
            // The history up to the join's position, then every event after it: nothing twice, nothing out of order.
            await Clients.Caller.History(join.Recent);
            await Clients.Caller.Users(join.Online);
            connection.Start();
        }
        catch (RoomClosedException)
        {
            await LeaveAsync(member);
            throw new HubException(RoomText.ShuttingDown);
        }
        catch (OperationCanceledException) when (Context.ConnectionAborted.IsCancellationRequested)
        {
            // The client went away while joining: nobody is left to tell, and nothing went wrong on our side.
            await LeaveAsync(member);
            return;
        }
        catch
        {
            await LeaveAsync(member);
            throw;
        }
        LogConnected(logger, UserName, Context.ConnectionId);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(typeof(RoomMember), out var item) && item is RoomMember member)
        {
            await LeaveAsync(member);
            LogDisconnected(logger, UserName, Context.ConnectionId, exception?.Message ?? "closed");
        }
    }

    /// <summary>Out of the room and out of the fan-out; safe to call twice.</summary>
    private async Task LeaveAsync(RoomMember member)
    {
        await room.LeaveAsync(member);
        fanOut.Connections.Remove(member.Id);
    }

    /// <summary>Posts a message; returns it as stored, or null for an empty one. A refusal fails the call with the reason.</summary>
    public async Task<ChatMessage?> Send(string text)
    {
        var member = (RoomMember)Context.Items[typeof(RoomMember)]!;
        // A kicked or revoked connection is told why and closed a moment later; it posts nothing in between.
        if (((HubChatConnection)Context.Items[typeof(HubChatConnection)]!).IsClosing) throw new HubException(ClosingMessage);
        PostResult result;
        try
        {
            result = await room.PostAsync(member, text ?? "", Context.ConnectionAborted);
        }
        catch (OperationCanceledException) when (Context.ConnectionAborted.IsCancellationRequested)
        {
            // The connection closed while its lines waited (several may be in flight): they were not taken,
            // and there is nobody left to answer.
            return null;
        }
        if (result.Error is { } reason) throw new HubException(reason);
        return result.Message;
    }

    /// <summary>Messages after <paramref name="afterId"/>, oldest first: what a reconnecting client missed. A refusal fails the call with the reason.</summary>
    public async Task<IReadOnlyList<ChatMessage>> History(long afterId, int limit)
    {
        var reader = (HistoryReader)Context.Items[typeof(HistoryReader)]!;
        var page = await reader.AfterAsync(afterId, limit, Context.ConnectionAborted);
        if (page.Error is { } reason) throw new HubException(reason);
        return page.Messages;
    }

    public IReadOnlyList<OnlineUser> Who() => room.Who();

    [LoggerMessage(LogLevel.Information, "{User} joined over web ({ConnectionId})")]
    private static partial void LogConnected(ILogger logger, string user, string connectionId);

    [LoggerMessage(LogLevel.Information, "{User} left web ({ConnectionId}): {Reason}")]
    private static partial void LogDisconnected(ILogger logger, string user, string connectionId, string reason);
}
