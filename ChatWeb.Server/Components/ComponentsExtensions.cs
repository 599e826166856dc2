using ChatWeb.Server.Components.Account;

namespace ChatWeb.Server.Components;

public static class ComponentsExtensions
{
    /// <summary>The pages: static server rendering only (no interactive render modes; live parts are small JS modules).</summary>
    public static IHostApplicationBuilder AddPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddSingleton<Admin.AdminFlash>();
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "chatweb.antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            // SecurityHeaders sends the stricter X-Frame-Options: DENY on every response.
            options.SuppressXFrameOptionsHeader = true;
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>();
        app.MapLogout();
        return app;
    }
}
