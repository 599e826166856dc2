namespace ChatWeb.Server.Hosting;

public static class ErrorPagesExtensions
{
    /// <summary>
    /// Errors without stack traces: ProblemDetails for the API and hubs, a friendly page (with the real
    /// status code: a forbidden page is a 403) for everything a browser opens. Comes before <c>UseRouting</c>,
    /// so that a re-executed request is routed to the status page.
    /// </summary>
    public static WebApplication UseErrorPages(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseWhen(IsForScripts, api => api.UseStatusCodePages());
        app.UseWhen(context => !IsForScripts(context), pages => pages.UseStatusCodePagesWithReExecute("/status/{0}"));
        return app;
    }

    private static bool IsForScripts(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs");
}
