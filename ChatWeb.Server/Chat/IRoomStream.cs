namespace ChatWeb.Server.Chat;

/// <summary>
/// The room's ordered event stream: messages, joins, leaves, notices and events addressed to one user, each at a
/// position. This is the seam a shared database plugs into for several nodes: the transports only subscribe here.
/// </summary>
public interface IRoomStream
{
    /// <summary>The position of the last event handed to subscribers; 0 before the first.</summary>
    long Position { get; }

    /// <summary>
    /// Hands the subscriber every event after <paramref name="fromPosition"/>, then every new commit, in order, until
    /// disposed. Throws <see cref="ArgumentOutOfRangeException"/> when the events after that position are no longer kept.
    /// </summary>
    IDisposable Subscribe(IRoomSubscriber subscriber, long fromPosition);
}
