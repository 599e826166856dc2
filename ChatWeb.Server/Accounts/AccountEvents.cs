namespace ChatWeb.Server.Accounts;

/// <summary>
/// The one path by which an account's sessions end (password changed or reset, rights changed, account wiped or
/// deleted): cookies and tokens already fail their next check against the store, and this closes what is live
/// now, on every channel that registered an <see cref="ISessionChannel"/>.
/// </summary>
public sealed partial class AccountEvents(
    IEnumerable<ISessionChannel> channels, GeneratedAdminPassword generatedPassword, ILogger<AccountEvents> logger)
{
    private readonly ISessionChannel[] _channels = [.. channels];

    public async Task EndSessionsAsync(string userName, string reason)
    {
        var closed = await Task.WhenAll(_channels.Select(channel => EndOnAsync(channel, userName, reason)));
        if (closed.Sum() is var count and > 0) LogClosed(logger, count, userName, reason);
        // Every password change passes here, so this is where a generated admin password that no longer works is forgotten.
        generatedPassword.ForgetIfStale(userName);
    }

    // One channel that fails must not keep the others open.
    private async Task<int> EndOnAsync(ISessionChannel channel, string userName, string reason)
    {
        try
        {
            return await channel.EndSessionsAsync(userName, reason);
        }
        catch (Exception ex)
        {
            LogChannelFailed(logger, ex, channel.GetType().Name, userName);
            return 0;
        }
    }

    [LoggerMessage(LogLevel.Information, "Closed {Count} connection(s) of {User}: {Reason}")]
    private static partial void LogClosed(ILogger logger, int count, string user, string reason);

    [LoggerMessage(LogLevel.Error, "{Channel} could not close the connections of {User}")]
    private static partial void LogChannelFailed(ILogger logger, Exception exception, string channel, string user);
}
