namespace ChatWeb.Server.Accounts;

/// <summary>
/// Tells whoever holds live connections that an account's sessions ended (password changed, account
/// wiped or deleted), so those connections close too. Accounts knows no transport; Control wires this
/// to the room's connection registry.
/// </summary>
public sealed class AccountEvents
{
    public event Func<string, string, Task>? SessionsEnded;

    public async Task EndSessionsAsync(string userName, string reason)
    {
        if (SessionsEnded is { } handler) await handler(userName, reason);
    }
}
