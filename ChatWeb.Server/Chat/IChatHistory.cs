namespace ChatWeb.Server.Chat;

/// <summary>
/// The room's memory. The room hands it every batch before anyone sees the messages in it,
/// so a message that was fanned out or acknowledged is always stored.
/// </summary>
public interface IChatHistory
{
    /// <summary>Reads what is stored; the room calls it once before it takes any work. Throws when the files cannot be trusted.</summary>
    Task LoadAsync(CancellationToken cancellationToken);

    /// <summary>The highest id ever stored; the room continues after it.</summary>
    long LastId { get; }

    /// <summary>Stores a batch durably (as configured) or throws; messages arrive in id order.</summary>
    Task AppendAsync(IReadOnlyList<ChatMessage> batch, CancellationToken cancellationToken);

    /// <summary>The last <paramref name="count"/> messages, oldest first.</summary>
    IReadOnlyList<ChatMessage> GetLast(int count);

    /// <summary>
    /// Up to <paramref name="limit"/> messages with id greater than <paramref name="afterId"/>, oldest first. Empty at once
    /// when afterId is at or past <see cref="LastId"/>; otherwise it costs about the page it returns, however long the history.
    /// </summary>
    ValueTask<IReadOnlyList<ChatMessage>> GetAfterAsync(long afterId, int limit, CancellationToken cancellationToken);

    /// <summary>How many messages were stored on a UTC day; the operator's status shows today's.</summary>
    int CountOn(DateTime utcDay);
}
