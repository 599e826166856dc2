using ChatWeb.Server.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ChatWeb.Server.Components.Account;

/// <summary>Issues the browser's sign-in cookie for the account pages.</summary>
internal static class CookieSignIn
{
    public static Task SignInAsync(HttpContext http, ChatUser user, bool returning) =>
        http.SignInAsync(
            CookieAuthenticationDefaults.AuthenticationScheme,
            AccountClaims.Create(user, CookieAuthenticationDefaults.AuthenticationScheme, returning),
            new AuthenticationProperties { IsPersistent = true });

    /// <summary>Only a local path is followed after sign-in, so the login page cannot be used to send people elsewhere.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
