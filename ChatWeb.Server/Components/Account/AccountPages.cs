using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace ChatWeb.Server.Components.Account;

public static class AccountPages
{
    /// <summary>POST /logout (antiforgery checked): ends the browser's cookie.</summary>
    public static IEndpointRouteBuilder MapLogout(this IEndpointRouteBuilder app)
    {
        app.MapPost("/logout", async (HttpContext http) =>
            {
                await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                return TypedResults.LocalRedirect("/login");
            })
            .WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }
}
