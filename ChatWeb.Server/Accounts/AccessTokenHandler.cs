using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;token&gt;</c>, or <c>?access_token=</c> on the hubs
/// (browsers cannot set headers on WebSockets). The token is checked against the store every time; only an
/// API-scoped token opens HTTP, and its principal has no roles, so no token opens an admin path.
/// </summary>
public sealed class AccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AccountSessions accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "AccessToken";

    public static string? FindToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        if (request.Path.StartsWithSegments("/hubs") && request.Query["access_token"] is { Count: > 0 } query) return query.ToString();
        return null;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (FindToken(Request) is not { } token) return Task.FromResult(AuthenticateResult.NoResult());
        if (accounts.ValidateToken(token, TokenScope.Api) is not { } user) return Task.FromResult(AuthenticateResult.Fail("The access token is invalid, expired or revoked."));
        var principal = AccountClaims.CreateWithoutRoles(user, SchemeName, returning: true);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
