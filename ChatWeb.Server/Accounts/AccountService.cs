using System.Net;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

public enum SignInStatus { Success, Failed, LockedOut }

public sealed record SignInOutcome(SignInStatus Status, ChatUser? User = null, bool Returning = false);

/// <summary>
/// Account operations shared by the web pages, the API, the TCP gateway and the operator, so that a password
/// check, a lockout or a token means the same thing whichever door a user comes in by. Every password check and
/// every change of a password takes the account's turn (<see cref="AccountGate"/>), and every save is a
/// compare-and-swap in the store: a change that lost a race is read again and redone, never written over a newer one.
/// </summary>
public sealed partial class AccountService(
    UserManager<ChatUser> users,
    AccountSessions sessions,
    AccountGate gate,
    UnknownNames unknownNames,
    AccountEvents events,
    TimeProvider time,
    ILogger<AccountService> logger)
{
    /// <summary>The code of a refusal because the account is locked (the API answers it with 423).</summary>
    public const string LockedOutCode = "LockedOut";

    // A save that loses its race is redone on a fresh read; more losses in a row than this are answered as a failure.
    private const int Attempts = 5;

    public async Task<IdentityResult> RegisterAsync(string userName, string password)
    {
        var user = new ChatUser { UserName = userName?.Trim() ?? "", CreatedAt = time.GetUtcNow() };
        var result = await users.CreateAsync(user, password ?? "");
        if (result.Succeeded) LogRegistered(logger, user.UserName);
        else LogRegisterRefused(logger, user.UserName, string.Join(", ", result.Errors.Select(e => e.Code)));
        return result;
    }

    /// <summary>
    /// Checks a password with lockout: the fifth wrong password in a row is answered as wrong and locks the account for
    /// five minutes, for every transport; until then every try is answered "locked" without a check. A name without
    /// an account is answered the same way, at the same cost (<see cref="UnknownNames"/>).
    /// </summary>
    public async Task<SignInOutcome> CheckPasswordAsync(string userName, string password, IPAddress? clientIp, string transport)
    {
        userName ??= "";
        password ??= "";
        // No account can have such a name (every stored name is well formed), so saying so tells nothing; and it is
        // kept out of the per-name turns and failure counts, which a two-million-character name would bloat.
        if (!UserNameRules.IsWellFormed(userName)) return Refused(userName, transport, SignInStatus.Failed, "not a user name");
        using var turn = await gate.EnterAsync(userName);
        if (await users.FindByNameAsync(userName) is not { } user)
        {
            if (unknownNames.IsLockedOut(userName)) return Refused(userName, transport, SignInStatus.LockedOut, "unknown user, locked out");
            await unknownNames.RefuseAsync(userName, password);
            return Refused(userName, transport, SignInStatus.Failed, "unknown user");
        }
        if (await users.IsLockedOutAsync(user)) return Refused(user.UserName, transport, SignInStatus.LockedOut, "locked out");
        if (!await users.CheckPasswordAsync(user, password))
        {
            var locked = await CountFailureAsync(user);
            return Refused(user.UserName, transport, SignInStatus.Failed, locked ? "wrong password, now locked out" : "wrong password");
        }

        if (user.AccessFailedCount > 0) await SaveAsync(user, users.ResetAccessFailedCountAsync);
        return sessions.RecordSignIn(user, clientIp, transport);
    }

    /// <summary>
    /// Changes a password; the new security stamp ends every other cookie and token at once. A wrong current password
    /// counts toward the lockout like any other wrong password, and a locked account is refused (<see cref="LockedOutCode"/>).
    /// </summary>
    public async Task<IdentityResult> ChangePasswordAsync(string userName, string currentPassword, string newPassword)
    {
        using var turn = await gate.EnterAsync(userName);
        if (await users.FindByNameAsync(userName) is not { } user) return Gone;
        if (await users.IsLockedOutAsync(user)) return LockedOut;
        if (!await users.CheckPasswordAsync(user, currentPassword ?? ""))
        {
            var locked = await CountFailureAsync(user);
            LogSignInFailed(logger, user.UserName, "password change", locked ? "wrong current password, now locked out" : "wrong current password");
            // The fifth wrong password is answered as wrong, as a sign-in's is; the lock shows from the next try on.
            return IdentityResult.Failed(new IdentityErrorDescriber().PasswordMismatch());
        }

        var result = await SaveNewPasswordAsync(user, newPassword ?? "");
        if (result.Succeeded)
        {
            LogPasswordChanged(logger, user.UserName);
            await events.EndSessionsAsync(user.UserName, "your password was changed; sign in again");
        }
        return result;
    }

    /// <summary>The operator's reset: a new password, the lockout lifted, every session ended.</summary>
    public async Task<IdentityResult> ResetPasswordAsync(string userName, string newPassword)
    {
        using var turn = await gate.EnterAsync(userName);
        if (await users.FindByNameAsync(userName) is not { } user) return Gone;
        var result = await SaveNewPasswordAsync(user, newPassword);
        if (result.Succeeded) await events.EndSessionsAsync(user.UserName, "your password was reset by the operator");
        return result;
    }

    /// <summary>The operator's unlock: the lockout and the count of failures go, in one save.</summary>
    public async Task<IdentityResult> UnlockAsync(string userName)
    {
        using var turn = await gate.EnterAsync(userName);
        if (await users.FindByNameAsync(userName) is not { } user) return Gone;
        // Set on the copy and saved once: UserManager's own setters would each save.
        return await SaveAsync(user, fresh =>
        {
            fresh.LockoutEnd = null;
            fresh.AccessFailedCount = 0;
            return users.UpdateAsync(fresh);
        });
    }

    /// <summary>What the password rules say against <paramref name="password"/> for a new account; empty when it may be chosen.</summary>
    public async Task<IReadOnlyList<string>> PasswordProblemsAsync(string userName, string password)
    {
        var candidate = new ChatUser { UserName = userName };
        var problems = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, candidate, password);
            problems.AddRange(result.Errors.Select(e => e.Description));
        }
        return problems;
    }

    private static IdentityResult Gone => IdentityResult.Failed(new IdentityError { Code = "UserGone", Description = "The account no longer exists." });

    private static IdentityResult LockedOut => IdentityResult.Failed(new IdentityError
    {
        Code = LockedOutCode,
        Description = "Too many wrong passwords: the account is locked for a few minutes.",
    });

    /// <summary>Counts a wrong password on the newest state of the account; true when that locked it.</summary>
    private async Task<bool> CountFailureAsync(ChatUser user)
    {
        var locked = false;
        await SaveAsync(user, async fresh =>
        {
            var result = await users.AccessFailedAsync(fresh);
            locked = await users.IsLockedOutAsync(fresh);
            return result;
        });
        return locked;
    }

    /// <summary>A new password hash, a new security stamp, no lockout, all in one save.</summary>
    private async Task<IdentityResult> SaveNewPasswordAsync(ChatUser user, string newPassword)
    {
        foreach (var validator in users.PasswordValidators)
        {
            if (await validator.ValidateAsync(users, user, newPassword) is { Succeeded: false } refused) return refused;
        }
        var hash = users.PasswordHasher.HashPassword(user, newPassword);
        return await SaveAsync(user, fresh =>
        {
            fresh.PasswordHash = hash;
            fresh.LockoutEnd = null;
            fresh.AccessFailedCount = 0;
            return users.UpdateSecurityStampAsync(fresh);
        });
    }

    /// <summary>
    /// Makes and saves a change of the account; when another save came first (the store's compare-and-swap refused
    /// this one), reads the account again and makes the change on that.
    /// </summary>
    private async Task<IdentityResult> SaveAsync(ChatUser user, Func<ChatUser, Task<IdentityResult>> changeAndSave)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await changeAndSave(user);
            if (result.Succeeded || !IsConcurrencyFailure(result) || attempt == Attempts) return result;
            if (await users.FindByNameAsync(user.UserName) is not { } fresh) return Gone;
            user = fresh;
        }
    }

    private static bool IsConcurrencyFailure(IdentityResult result) =>
        result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure));

    private SignInOutcome Refused(string userName, string transport, SignInStatus status, string reason)
    {
        LogSignInFailed(logger, userName, transport, reason);
        return new SignInOutcome(status);
    }

    [LoggerMessage(LogLevel.Information, "Account {User} registered")]
    private static partial void LogRegistered(ILogger logger, string user);

    [LoggerMessage(LogLevel.Information, "Registration of {User} refused: {Reasons}")]
    private static partial void LogRegisterRefused(ILogger logger, string user, string reasons);

    [LoggerMessage(LogLevel.Warning, "Sign-in of {User} over {Transport} failed: {Reason}")]
    private static partial void LogSignInFailed(ILogger logger, string? user, string transport, string reason);

    [LoggerMessage(LogLevel.Information, "{User} changed their password")]
    private static partial void LogPasswordChanged(ILogger logger, string user);
}
