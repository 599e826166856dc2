using ChatWeb.Server.Hosting;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Security;

/// <summary>
/// Cross-site WebSocket hijacking: a page of another site can open our WebSocket endpoints in a visitor's
/// browser, and the browser sends the visitor's cookie along (no CORS preflight guards an upgrade). Browsers
/// always say where such a request comes from in <c>Origin</c>, so requests to the guarded endpoints whose
/// Origin is neither the server's own (the scheme, host and port the request came to, after forwarded
/// headers from known proxies) nor in <c>Security:AllowedOrigins</c> get 403: negotiate, the upgrade and every
/// other transport request alike. Without an Origin the request is not a browser page's, and passes.
/// </summary>
internal static partial class CrossOriginGuard
{
    /// <summary>
    /// The guarded endpoints, by path prefix. A request is guarded when its path or the route of the endpoint it
    /// reached starts with one (segment-wise, ignoring case), so no spelling of the path slips past.
    /// The Blazor circuit joins with one more entry, <c>"/_blazor"</c>, when pages become interactive.
    /// </summary>
    private static readonly PathString[] GuardedPrefixes = ["/hubs"];

    /// <summary>After routing (the endpoint is known), before authentication and the endpoints.</summary>
    public static IApplicationBuilder UseCrossOriginGuard(this IApplicationBuilder app)
    {
        var allowed = app.ApplicationServices.GetRequiredService<IOptions<SecurityOptions>>().Value.AllowedOrigins
            .Select(entry => HttpOrigin.TryParse(entry, out var origin) ? origin : throw new InvalidOperationException($"'{entry}' is not an origin"))
            .ToHashSet(StringComparer.Ordinal);
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CrossOriginGuard));
        // Anyone can send these for free: the first of each minute are logged one by one, the rest counted.
        var allowance = new LogAllowance(app.ApplicationServices.GetRequiredService<TimeProvider>(), logger, "requests refused for their Origin");
        app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(allowance.Dispose);

        return app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (request.Headers.Origin.Count == 0 || !IsGuarded(context) || IsAllowed(request, allowed))
            {
                await next(context);
                return;
            }
            if (allowance.ShouldLog()) LogRefused(logger, request.Method, request.Path, request.Headers.Origin.ToString());
            await TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Cross-origin request refused",
                detail: "This endpoint answers pages of this server's own origin and of the origins in Security:AllowedOrigins only.")
                .ExecuteAsync(context);
        });
    }

    private static bool IsGuarded(HttpContext context)
    {
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        foreach (var prefix in GuardedPrefixes)
        {
            if (context.Request.Path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)) return true;
            if (route is not null && new PathString("/" + route.TrimStart('/')).StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private static bool IsAllowed(HttpRequest request, HashSet<string> allowed)
    {
        // One origin, exactly: a list, an empty value or "null" (sandboxed frames, file: pages) is foreign.
        if (request.Headers.Origin.Count != 1 || !HttpOrigin.TryParse(request.Headers.Origin[0], out var origin)) return false;
        if (allowed.Contains(origin)) return true;
        return HttpOrigin.TryParse($"{request.Scheme}://{request.Host.Value}", out var own) && own == origin;
    }

    [LoggerMessage(LogLevel.Information, "Refused {Method} {Path} from the foreign origin {Origin}")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string origin);
}
