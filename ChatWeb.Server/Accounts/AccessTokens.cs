using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// The one kind of access token (the assignment's "token like a cookie"): the API, scripts on the hub
/// and the TCP /resume all use it. It is protected with Data Protection, carries the user's security
/// stamp and expires; <see cref="AccountSessions.ValidateToken"/> checks it against the store every time.
/// </summary>
public sealed class AccessTokens(IDataProtectionProvider dataProtection, IOptions<AccountsOptions> options, TimeProvider time)
{
    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("ChatWeb.Accounts.AccessToken.v1").ToTimeLimitedDataProtector();

    public TimeSpan Lifetime => TimeSpan.FromHours(options.Value.TokenLifetimeHours);

    public string Issue(ChatUser user) =>
        _protector.Protect($"{user.UserName}\n{user.SecurityStamp}", time.GetUtcNow() + Lifetime);

    /// <summary>Reads a token that is authentic and unexpired; says nothing yet about whether the account still accepts it.</summary>
    public bool TryRead(string? token, out string userName, out string securityStamp)
    {
        userName = securityStamp = "";
        if (string.IsNullOrWhiteSpace(token) || token.Length > 4096) return false;
        try
        {
            var payload = _protector.Unprotect(token.Trim(), out var expiration);
            if (expiration < time.GetUtcNow()) return false;
            var parts = payload.Split('\n');
            if (parts.Length != 2) return false;
            (userName, securityStamp) = (parts[0], parts[1]);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
