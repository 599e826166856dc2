using System.Net;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

public enum SignInStatus { Success, Failed, LockedOut }

public sealed record SignInOutcome(SignInStatus Status, ChatUser? User = null, bool Returning = false);

/// <summary>
/// Account operations shared by the web pages, the API and the TCP gateway, so that a password
/// check, a lockout or a token means the same thing whichever door a user comes in by.
/// </summary>
public sealed partial class AccountService(
    UserManager<ChatUser> users,
    CsvUserStore store,
    AccountSessions sessions,
    AccountEvents events,
    TimeProvider time,
    ILogger<AccountService> logger)
{
    public ChatUser? Find(string userName) => store.Find(userName);

    public async Task<IdentityResult> RegisterAsync(string userName, string password)
    {
        var user = new ChatUser { UserName = userName?.Trim() ?? "", CreatedAt = time.GetUtcNow() };
        var result = await users.CreateAsync(user, password ?? "");
        if (result.Succeeded) LogRegistered(logger, user.UserName);
        else LogRegisterRefused(logger, user.UserName, string.Join(", ", result.Errors.Select(e => e.Code)));
        return result;
    }

    /// <summary>Checks a password with Identity's lockout (5 failures lock the account for 5 minutes, for every transport).</summary>
    public async Task<SignInOutcome> CheckPasswordAsync(string userName, string password, IPAddress? clientIp, string transport)
    {
        var user = await users.FindByNameAsync(userName ?? "");
        if (user is null)
        {
            LogSignInFailed(logger, userName, transport, "unknown user");
            return new SignInOutcome(SignInStatus.Failed);
        }
        if (await users.IsLockedOutAsync(user))
        {
            LogSignInFailed(logger, user.UserName, transport, "locked out");
            return new SignInOutcome(SignInStatus.LockedOut);
        }
        if (!await users.CheckPasswordAsync(user, password ?? ""))
        {
            await users.AccessFailedAsync(user);
            var locked = await users.IsLockedOutAsync(user);
            LogSignInFailed(logger, user.UserName, transport, locked ? "wrong password, now locked out" : "wrong password");
            return new SignInOutcome(locked ? SignInStatus.LockedOut : SignInStatus.Failed);
        }

        await users.ResetAccessFailedCountAsync(user);
        return sessions.RecordSignIn(user, clientIp, transport);
    }

    public string IssueToken(ChatUser user) => sessions.IssueToken(user, TokenScope.Api);

    public TimeSpan TokenLifetime => sessions.TokenLifetime;

    /// <summary>Changes a password; the new security stamp ends every other cookie and token at once.</summary>
    public async Task<IdentityResult> ChangePasswordAsync(string userName, string currentPassword, string newPassword)
    {
        var user = await users.FindByNameAsync(userName);
        if (user is null) return IdentityResult.Failed(new IdentityError { Code = "UserGone", Description = "The account no longer exists." });
        var result = await users.ChangePasswordAsync(user, currentPassword ?? "", newPassword ?? "");
        if (result.Succeeded)
        {
            LogPasswordChanged(logger, user.UserName);
            await events.EndSessionsAsync(user.UserName, "your password was changed; sign in again");
        }
        return result;
    }

    public string? RevealLastIp(ChatUser user) => sessions.RevealLastIp(user);

    [LoggerMessage(LogLevel.Information, "Account {User} registered")]
    private static partial void LogRegistered(ILogger logger, string user);

    [LoggerMessage(LogLevel.Information, "Registration of {User} refused: {Reasons}")]
    private static partial void LogRegisterRefused(ILogger logger, string user, string reasons);

    [LoggerMessage(LogLevel.Warning, "Sign-in of {User} over {Transport} failed: {Reason}")]
    private static partial void LogSignInFailed(ILogger logger, string? user, string transport, string reason);

    [LoggerMessage(LogLevel.Information, "{User} changed their password")]
    private static partial void LogPasswordChanged(ILogger logger, string user);
}
