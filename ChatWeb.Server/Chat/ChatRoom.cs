using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Chat;

/// <summary>
/// The one room, as transports and the operator see it: who may post what (length, rate, nothing empty), who is
/// online, and what the operator announces or closes. Ordering and storing are the sequencer's
/// (<see cref="IRoomSequencer"/>); delivery is each transport's, from the stream (<see cref="IRoomStream"/>).
/// </summary>
public sealed class ChatRoom(
    IRoomSequencer sequencer,
    RoomPresence presence,
    IChatHistory history,
    UserRateLimiter rateLimiter,
    IOptions<ChatOptions> options)
{
    public const int MaxHistoryPage = 500;

    /// <summary>
    /// Posts of one connection that may wait for the room at once, on either transport: a burst of lines becomes one
    /// commit instead of one round trip per line, and a connection still cannot fill the room's queue alone.
    /// </summary>
    public const int MaxPostsInFlight = 64;

    /// <summary>How long closing a user (or the room) waits for their connections to leave before it answers anyway.</summary>
    public static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);

    /// <summary>False while the last history write failed; senders are refused until a write works again.</summary>
    public bool IsStorageHealthy => sequencer.IsStorageHealthy;

    /// <summary>Posts a line for the member; completes once it is stored and in the stream, or refused, or ignored (empty).</summary>
    public Task<PostResult> PostAsync(RoomMember from, string text, CancellationToken cancellationToken = default)
    {
        // Stripped before trimming, so a post of controls and spaces is as empty as a post of spaces.
        text = BidiControls.Strip(text).Trim();
        if (text.Length == 0) return Task.FromResult(PostResult.Ignored);

        var max = options.Value.MaxMessageLength;
        if (max > 0 && text.Length > max)
            return Task.FromResult(PostResult.Refused($"message too long ({text.Length} characters, max {max})"));
        if (!rateLimiter.TryTake(from.UserName))
            return Task.FromResult(PostResult.Refused("too many messages, slow down"));
        return sequencer.PostAsync(from, text, cancellationToken);
    }

    /// <summary>
    /// Puts the member in the room. The answer holds the recent history up to the join's position; the member's
    /// transport then delivers every event after that position, and nothing before it. Throws
    /// <see cref="RoomClosedException"/> once the room is closing.
    /// </summary>
    public Task<RoomJoin> JoinAsync(RoomMember member, CancellationToken cancellationToken = default) =>
        sequencer.JoinAsync(member, cancellationToken);

    /// <summary>Takes the member out; the user is announced as gone when it was their last connection.</summary>
    public Task LeaveAsync(RoomMember member) => sequencer.LeaveAsync(member);

    /// <summary>Sends a notice to everybody; waits for room in the queue rather than dropping it. False once the room is closed.</summary>
    public Task<bool> AnnounceAsync(Notice notice) => sequencer.PublishAsync(new NoticePosted(notice));

    /// <summary>Closes every connection of the user on every transport, telling each why; how many there were. Waits (a while) until they are gone.</summary>
    public async Task<int> CloseUserAsync(string userName, string reason)
    {
        var connections = presence.ConnectionsOf(userName);
        if (connections == 0 || !await sequencer.PublishAsync(new UserClosed(userName, reason))) return 0;
        await WaitGoneAsync(userName);
        return connections;
    }

    /// <summary>
    /// Tells everybody the server is shutting down and closes every connection; nothing joins after it. Waits (a
    /// while) until everybody is gone. What was accepted before is stored: a post is answered only once it is.
    /// </summary>
    public async Task CloseAsync()
    {
        await AnnounceAsync(new Notice(NoticeLevel.Warning, RoomText.ShutdownNotice));
        if (await sequencer.PublishAsync(new RoomClosing(RoomText.ShuttingDown))) await WaitGoneAsync(userName: null);
    }

    public IReadOnlyList<OnlineUser> Who() => presence.Online();

    /// <summary>Messages after <paramref name="afterId"/>, oldest first, at most <see cref="MaxHistoryPage"/>: for the server's own use.</summary>
    public ValueTask<IReadOnlyList<ChatMessage>> HistoryAfterAsync(long afterId, int limit, CancellationToken cancellationToken = default) =>
        history.GetAfterAsync(Math.Max(0, afterId), Math.Clamp(limit, 1, MaxHistoryPage), cancellationToken);

    /// <summary>History reads on behalf of one client connection, checked and limited (see <see cref="HistoryReader"/>); one per connection.</summary>
    public HistoryReader NewHistoryReader() => new(history, options.Value.MaxHistoryReadsPerConnection);

    // A transport that cannot close a connection in time (or a user who joins again at once) must not hold up the
    // operator or the shutdown for longer than CloseWait.
    private Task WaitGoneAsync(string? userName) => presence.WhenGoneAsync(userName, CloseWait);
}
