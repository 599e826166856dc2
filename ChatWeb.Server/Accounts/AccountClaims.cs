using System.Security.Claims;

namespace ChatWeb.Server.Accounts;

/// <summary>What a signed-in principal carries: the name, roles and the security stamp it was issued under.</summary>
public static class AccountClaims
{
    public const string SecurityStamp = "chatweb:stamp";

    /// <summary>"true" when the user had signed in before this sign-in: the chat page then says "Welcome back".</summary>
    public const string Returning = "chatweb:returning";

    /// <summary>The cookie's principal: name, stamp and roles (re-checked against the store on every request).</summary>
    public static ClaimsPrincipal Create(ChatUser user, string scheme, bool returning) => Build(user, scheme, returning, user.Roles);

    /// <summary>A token's principal: no roles, because no token carries admin rights (admin paths take the cookie only).</summary>
    public static ClaimsPrincipal CreateWithoutRoles(ChatUser user, string scheme, bool returning) => Build(user, scheme, returning, []);

    private static ClaimsPrincipal Build(ChatUser user, string scheme, bool returning, IEnumerable<string> roles)
    {
        List<Claim> claims =
        [
            new(ClaimTypes.NameIdentifier, user.UserName),
            new(ClaimTypes.Name, user.UserName),
            new(SecurityStamp, user.SecurityStamp),
            new(Returning, returning ? "true" : "false"),
        ];
        claims.AddRange(roles.Select(role => new Claim(ClaimTypes.Role, role)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    public static bool IsReturning(this ClaimsPrincipal principal) => principal.FindFirstValue(Returning) == "true";
}
