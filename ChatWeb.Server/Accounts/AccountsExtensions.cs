using ChatWeb.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

public static class AccountsExtensions
{
    /// <summary>The scheme [Authorize] uses: a request with an access token is judged by it, any other by the cookie.</summary>
    public const string Scheme = "ChatWeb";

    /// <summary>Identity over logins.csv, cookie and access-token sign-in, Data Protection keys in the data directory.</summary>
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddDataDirectory();
        services.AddDataProtection().SetApplicationName("ChatWeb");
        // Keys live in <data>/keys, so cookies, tokens and encrypted IPs survive a restart (and move with a backup).
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
            options.XmlRepository = new PrivateKeyRepository(sp.GetRequiredService<DataDirectory>().KeysFolder, sp.GetRequiredService<ILoggerFactory>())));

        services.AddSingleton<AccountFile>();
        services.AddSingleton<IUserStore<ChatUser>, ChatUserStore>();
        services.AddIdentityCore<ChatUser>(options =>
            {
                options.User.AllowedUserNameCharacters = "";
                options.Password.RequiredLength = AdminOptions.MinimumPasswordLength;
                options.Password.RequiredUniqueChars = 1;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddUserValidator<UserNameRules>();

        services.AddSingleton<ILookupNormalizer, UserNameKey>();
        services.AddSingleton<AccountGate>();
        services.AddSingleton<UnknownNames>();
        services.AddSingleton<AccessTokens>();
        services.AddSingleton<AccountSessions>();
        services.AddSingleton<AccountEvents>();
        services.AddSingleton<GeneratedAdminPassword>();
        services.AddSingleton<AppliedAdminPassword>();
        services.AddScoped<AccountService>();
        services.AddScoped<AccountAdministration>();
        services.AddHostedService<AccountsStartup>();

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, null, options => options.ForwardDefaultSelector = context =>
                AccessTokenHandler.FindToken(context.Request) is null ? CookieAuthenticationDefaults.AuthenticationScheme : AccessTokenHandler.SchemeName)
            .AddCookie(options =>
            {
                options.Cookie.Name = "chatweb.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromDays(14);
                options.SlidingExpiration = true;
                options.LoginPath = "/login";
                options.Events.OnValidatePrincipal = ValidateStampAsync;
                options.Events.OnRedirectToLogin = context => StatusInsteadOfRedirect(context, StatusCodes.Status401Unauthorized);
                // A real 403 (the status page explains it), not a redirect to a page that says so.
                options.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            })
            .AddScheme<AuthenticationSchemeOptions, AccessTokenHandler>(AccessTokenHandler.SchemeName, null);

        // Admin rights come from the cookie alone: a token (which may have crossed plain TCP, or sit in a script)
        // never carries them, whatever else the request holds.
        services.AddAuthorizationBuilder()
            .AddPolicy(AccountRoles.Admin, policy => policy
                .AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme)
                .RequireRole(AccountRoles.Admin));
        return builder;
    }

    /// <summary>
    /// Every request re-checks the cookie against the current account in the store (in memory, so cheap): its
    /// security stamp and its roles. A password change, a role change, a wipe or a delete ends the cookie at once.
    /// </summary>
    private static async Task ValidateStampAsync(CookieValidatePrincipalContext context)
    {
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountSessions>();
        if (context.Principal is { } principal && accounts.HasCurrentRights(principal)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>Scripts and hubs get a status code; pages get the redirect.</summary>
    private static Task StatusInsteadOfRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/hubs"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
