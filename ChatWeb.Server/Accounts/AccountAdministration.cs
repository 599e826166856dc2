using ChatWeb.Server.Hosting;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// The operator's account actions, for every surface (the admin pages, the server console, the tests): a new
/// password, an unlock, a delete, a wipe of every non-admin account. Each ends the account's sessions through
/// <see cref="AccountEvents"/> and is logged with who did it. Scoped, as the <c>UserManager</c> it works through.
/// </summary>
public sealed partial class AccountAdministration(
    AccountService service,
    UserManager<ChatUser> users,
    AccountFile accounts,
    AccountEvents events,
    ILogger<AccountAdministration> logger)
{
    /// <summary>Gives the account a new random password (returned, shown once); its sessions end.</summary>
    public async Task<(ControlResult Result, string? Password)> ResetPasswordAsync(string userName, string by)
    {
        if (accounts.Find(userName) is not { } user) return (NoAccount(userName), null);

        var password = GeneratedPasswords.New(14);
        var reset = await service.ResetPasswordAsync(user.UserName, password);
        if (!reset.Succeeded) return (Failed(reset), null);
        LogAction(logger, by, "reset the password of", user.UserName);
        return (ControlResult.Done($"{user.UserName} has a new password; their sessions were ended."), password);
    }

    /// <summary>Lifts a lockout and forgets the failures that led to it.</summary>
    public async Task<ControlResult> UnlockAsync(string userName, string by)
    {
        if (accounts.Find(userName) is not { } user) return NoAccount(userName);
        var unlocked = await service.UnlockAsync(user.UserName);
        if (!unlocked.Succeeded) return Failed(unlocked);
        LogAction(logger, by, "unlocked", user.UserName);
        return ControlResult.Done($"{user.UserName} is unlocked.");
    }

    /// <summary>Deletes a non-admin account; its cookies, tokens and connections end at once.</summary>
    public async Task<ControlResult> DeleteAsync(string userName, string by)
    {
        if (await users.FindByNameAsync(userName) is not { } user) return NoAccount(userName);
        if (user.IsAdmin) return ControlResult.Failed("Admin accounts cannot be deleted here.");
        var result = await users.DeleteAsync(user);
        if (!result.Succeeded) return Failed(result);
        await events.EndSessionsAsync(user.UserName, "your account was deleted by the operator");
        LogAction(logger, by, "deleted the account", user.UserName);
        return ControlResult.Done($"The account {user.UserName} was deleted.");
    }

    /// <summary>Removes every non-admin account in one write; their cookies, tokens and connections end at once.</summary>
    public async Task<ControlResult> WipeAsync(string by)
    {
        var removed = await accounts.RemoveWhereAsync(user => !user.IsAdmin);
        foreach (var name in removed)
            await events.EndSessionsAsync(name, "your account was removed by the operator");
        LogAction(logger, by, "wiped the accounts of", string.Join(", ", removed));
        return ControlResult.Done($"{removed.Count} account(s) removed; admin accounts kept.");
    }

    private static ControlResult NoAccount(string userName) => ControlResult.Failed($"There is no account {userName}.");

    private static ControlResult Failed(IdentityResult result) => ControlResult.Failed(string.Join(" ", result.Errors.Select(e => e.Description)));

    // The same template as the server's own operator actions, so one search of the log finds them all.
    [LoggerMessage(LogLevel.Warning, "Operator {By} {Action} {Target}")]
    private static partial void LogAction(ILogger logger, string by, string action, string target);
}
