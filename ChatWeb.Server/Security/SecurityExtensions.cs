using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Security;

public static class SecurityExtensions
{
    /// <summary>The shared sign-in budget (on the rate limiter, by endpoint), forwarded headers from known proxies only, and the web hardening headers.</summary>
    public static IHostApplicationBuilder AddSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<SecurityOptions>>((forwarded, security) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies (not the loopback defaults) are trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // The old list is still consulted and still holds loopback by default.
            forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in security.Value.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
        });

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSignInBudget();
        return builder;
    }

    /// <summary>Forwarded headers (known proxies only), the security headers and the refusal of unreadable charsets, early in the pipeline.</summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        // With no known proxy the middleware would trust anyone's X-Forwarded-For, so it runs only when
        // proxies are configured; otherwise the client IP is the socket's peer.
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.KnownProxies.Length > 0)
            app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseKnownRequestCharsets();
        return app;
    }
}
