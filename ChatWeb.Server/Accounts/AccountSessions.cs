using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.DataProtection;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// The per-connection part of the accounts: checking a token or a cookie's stamp, signing in with a token,
/// recording a sign-in, reading the address it recorded. A singleton that needs no <c>UserManager</c>, so a hub
/// request with a token or a cookie does not build one (and its per-scope services) only to read the in-memory accounts.
/// </summary>
public sealed partial class AccountSessions(
    AccountFile store,
    AccessTokens tokens,
    IDataProtectionProvider dataProtection,
    TimeProvider time,
    ILogger<AccountService> logger)
{
    private readonly IDataProtector _ipProtector = dataProtection.CreateProtector("ChatWeb.Accounts.LastIp.v1");

    // The address each protected LastIp value was made from, per account (normalized name): a sign-in from the
    // address the account already records keeps that value instead of encrypting the same address again.
    private readonly ConcurrentDictionary<string, ProtectedIp> _lastIps = new(StringComparer.Ordinal);

    private sealed record ProtectedIp(string Protected, IPAddress Address);

    /// <summary>
    /// The account a token belongs to, or null when the token is forged, expired, of a scope that does not open
    /// <paramref name="door"/>, or its account was changed or removed.
    /// </summary>
    public ChatUser? ValidateToken(string? token, TokenScope door) =>
        tokens.TryRead(token, out var scope, out var name, out var stamp)
        && AccessTokens.Opens(scope, door)
        && store.Find(name) is { } user && user.SecurityStamp == stamp
            ? user
            : null;

    /// <summary>True when a principal (cookie or token) was issued under the account's current security stamp.</summary>
    public bool IsCurrent(ClaimsPrincipal principal) => CurrentAccount(principal) is not null;

    /// <summary>
    /// True when a cookie's principal is current and claims exactly the roles the account has now. Every role change
    /// also changes the stamp (<see cref="ChatUserStore"/>); the roles are compared as well so that rights never
    /// outlive the store, whatever path changed them.
    /// </summary>
    public bool HasCurrentRights(ClaimsPrincipal principal) =>
        CurrentAccount(principal) is { } user
        && principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.OrdinalIgnoreCase)
            .SetEquals(user.Roles);

    /// <summary>True while the account <paramref name="user"/> was read from still has that security stamp.</summary>
    public bool IsStillCurrent(ChatUser user) => store.Find(user.UserName)?.SecurityStamp == user.SecurityStamp;

    private ChatUser? CurrentAccount(ClaimsPrincipal principal) =>
        principal.Identity?.Name is { } name
        && store.Find(name) is { } user
        && user.SecurityStamp == principal.FindFirstValue(AccountClaims.SecurityStamp)
            ? user
            : null;

    /// <summary>
    /// TCP <c>/resume</c>: signs in with a token of either scope that is authentic, unexpired, and issued under the
    /// account's current security stamp.
    /// </summary>
    public SignInOutcome SignInWithToken(string token, IPAddress? clientIp, string transport)
    {
        if (ValidateToken(token, TokenScope.TcpResume) is not { } user)
        {
            LogSignInFailed(logger, "(token)", transport, "token refused");
            return new SignInOutcome(SignInStatus.Failed);
        }
        return RecordSignIn(user, clientIp, transport);
    }

    /// <summary>
    /// Records the time and (encrypted) address of a sign-in, on the newest state of the account. Fails when the
    /// account was removed or its security stamp changed since <paramref name="user"/> was read: a password
    /// change in between ends this sign-in too. Recorded in memory at once, on disk within a second (see
    /// <see cref="AccountFile.RecordSignIn"/>).
    /// </summary>
    public SignInOutcome RecordSignIn(ChatUser user, IPAddress? clientIp, string transport)
    {
        var returning = user.LastSignInAt is not null;
        var at = time.GetUtcNow();
        var lastIp = clientIp is null ? user.LastIpProtected : ProtectIp(user, clientIp);
        if (!store.RecordSignIn(user.NormalizedUserName, user.SecurityStamp, at, lastIp))
        {
            LogSignInFailed(logger, user.UserName, transport, "account changed or removed while signing in");
            return new SignInOutcome(SignInStatus.Failed);
        }
        user.LastSignInAt = at;
        user.LastIpProtected = lastIp;
        if (clientIp is not null) _lastIps[user.NormalizedUserName] = new ProtectedIp(lastIp!, clientIp);
        LogSignedIn(logger, user.UserName, transport);
        return new SignInOutcome(SignInStatus.Success, user, returning);
    }

    /// <summary>The last address the account signed in from, decrypted; null when none is recorded or it cannot be read.</summary>
    public string? RevealLastIp(ChatUser user)
    {
        if (user.LastIpProtected is null) return null;
        try
        {
            return _ipProtector.Unprotect(user.LastIpProtected);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private string ProtectIp(ChatUser user, IPAddress clientIp) =>
        user.LastIpProtected is { } current
        && _lastIps.TryGetValue(user.NormalizedUserName, out var known)
        && known.Protected == current
        && known.Address.Equals(clientIp)
            ? current
            : _ipProtector.Protect(clientIp.ToString());

    [LoggerMessage(LogLevel.Information, "{User} signed in over {Transport}")]
    private static partial void LogSignedIn(ILogger logger, string user, string transport);

    [LoggerMessage(LogLevel.Warning, "Sign-in of {User} over {Transport} failed: {Reason}")]
    private static partial void LogSignInFailed(ILogger logger, string? user, string transport, string reason);
}
