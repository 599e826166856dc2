using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace ChatWeb.Server.Components.Admin;

/// <summary>What an admin action has to say on the page that follows it (a new password is shown once).</summary>
public sealed record AdminFlashMessage(bool Succeeded, string Message, string? Target = null, string? NewPassword = null, string? LastIp = null);

/// <summary>
/// Post/Redirect/Get for the admin forms: the result rides to the next page in a short-lived,
/// encrypted, HttpOnly cookie that is read once. So a reload never repeats an action (resetting a
/// password twice, wiping again), and a new password is never in a URL.
/// </summary>
public sealed class AdminFlash(IDataProtectionProvider dataProtection)
{
    private const string CookieName = "chatweb.flash";

    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("ChatWeb.Admin.Flash.v1").ToTimeLimitedDataProtector();

    public void Set(HttpContext http, AdminFlashMessage message) =>
        http.Response.Cookies.Append(CookieName, _protector.Protect(JsonSerializer.Serialize(message), TimeSpan.FromMinutes(1)), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/admin",
            IsEssential = true,
        });

    /// <summary>The message left by the previous action, once; null when there is none (or it expired).</summary>
    public AdminFlashMessage? Take(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var protectedValue)) return null;
        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/admin" });
        try
        {
            return JsonSerializer.Deserialize<AdminFlashMessage>(_protector.Unprotect(protectedValue));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException)
        {
            return null;
        }
    }
}
