using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ChatWeb.Tests.Browser;

/// <summary>
/// Servers started for browser tests send a strict Content-Security-Policy (no inline script, no eval,
/// no inline style) on every response, so the chat and account pages are proven to work under the policy
/// the server itself is going to send (issue 6) before it sends it; <see cref="BrowserUser"/> fails a test
/// on any violation. Added on the server, not by rewriting responses in the browser: a response fulfilled
/// by Playwright has no address, and Chromium's local-network checks then block the page's WebSocket.
/// </summary>
public sealed class StrictContentSecurityPolicy : IStartupFilter
{
    public const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static void AddTo(IServiceCollection services) => services.AddSingleton<IStartupFilter, StrictContentSecurityPolicy>();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            // Appended, so a policy of the server's own is kept too: the browser then enforces both.
            context.Response.Headers.Append("Content-Security-Policy", Policy);
            return nextMiddleware(context);
        });
        next(app);
    };
}
