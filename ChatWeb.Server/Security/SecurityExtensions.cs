using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Security;

public static class SecurityExtensions
{
    /// <summary>The shared sign-in budget, forwarded headers from known proxies only, and the web hardening headers.</summary>
    public static IHostApplicationBuilder AddSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SignInThrottle>();

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

        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, IPAddress>(context =>
            {
                var throttle = context.RequestServices.GetRequiredService<SignInThrottle>();
                var ip = context.Connection.RemoteIpAddress ?? IPAddress.None;
                return throttle.IsEnabled && IsSignInAttempt(context.Request)
                    ? RateLimitPartition.Get(ip, throttle.SharedLimiterFor)
                    : RateLimitPartition.GetNoLimiter(IPAddress.None);
            });
        });
        return builder;
    }

    /// <summary>Forwarded headers (known proxies only), the sign-in budget and the security headers, early in the pipeline.</summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        // With no known proxy the middleware would trust anyone's X-Forwarded-For, so it runs only when
        // proxies are configured; otherwise the client IP is the socket's peer.
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.KnownProxies.Length > 0)
            app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        return app;
    }

    /// <summary>Every request that checks a password or creates an account spends from the same budget.</summary>
    private static bool IsSignInAttempt(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && (request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase)
            || request.Path.Equals("/register", StringComparison.OrdinalIgnoreCase)
            || request.Path.StartsWithSegments("/api/account", StringComparison.OrdinalIgnoreCase));
}
