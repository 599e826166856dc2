using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Accounts;

/// <summary>What a token opens. The scope is inside the protected payload, so it cannot be changed without the keys.</summary>
public enum TokenScope
{
    /// <summary>From <c>POST /api/account/token</c>: the HTTP API, the chat hub and TCP <c>/resume</c>.</summary>
    Api,

    /// <summary>
    /// The <c>Session token:</c> printed at a TCP sign-in, over a line that may be plain text: it opens TCP
    /// <c>/resume</c> only, so a token sniffed there gives no more than the TCP session it came from.
    /// </summary>
    TcpResume,
}

/// <summary>
/// Access tokens (the assignment's "token like a cookie"): protected with Data Protection, they carry a scope,
/// the user's security stamp and an expiry; <see cref="AccountSessions.ValidateToken"/> checks them against the
/// store every time. No token carries roles: admin paths take the cookie only.
/// </summary>
public sealed class AccessTokens(IDataProtectionProvider dataProtection, IOptions<AccountsOptions> options, TimeProvider time)
{
    // v2 added the scope. Tokens of v1 said nothing about what they may open, so they are refused (they do not
    // even decrypt under this purpose): their holders sign in again, at most once a day (the token lifetime).
    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("ChatWeb.Accounts.AccessToken.v2").ToTimeLimitedDataProtector();

    public TimeSpan Lifetime => TimeSpan.FromHours(options.Value.TokenLifetimeHours);

    public string Issue(ChatUser user, TokenScope scope) =>
        _protector.Protect($"{NameOf(scope)}\n{user.UserName}\n{user.SecurityStamp}", time.GetUtcNow() + Lifetime);

    /// <summary>True when a token held with scope <paramref name="held"/> may open <paramref name="door"/>.</summary>
    public static bool Opens(TokenScope held, TokenScope door) => held == door || (held == TokenScope.Api && door == TokenScope.TcpResume);

    /// <summary>Reads a token that is authentic, unexpired and of a known scope; says nothing yet about whether the account still accepts it.</summary>
    public bool TryRead(string? token, out TokenScope scope, out string userName, out string securityStamp)
    {
        scope = default;
        userName = securityStamp = "";
        if (string.IsNullOrWhiteSpace(token) || token.Length > 4096) return false;
        try
        {
            var payload = _protector.Unprotect(token.Trim(), out var expiration);
            if (expiration < time.GetUtcNow()) return false;
            var parts = payload.Split('\n');
            if (parts.Length != 3 || ScopeNamed(parts[0]) is not { } known) return false;
            (scope, userName, securityStamp) = (known, parts[1], parts[2]);
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

    private static string NameOf(TokenScope scope) => scope switch
    {
        TokenScope.Api => "api",
        TokenScope.TcpResume => "tcp-resume",
        _ => throw new ArgumentOutOfRangeException(nameof(scope)),
    };

    // Exact, ordinal names only: "Api", "api " or anything unknown is not a scope.
    private static TokenScope? ScopeNamed(string name) => name switch
    {
        "api" => TokenScope.Api,
        "tcp-resume" => TokenScope.TcpResume,
        _ => null,
    };
}
