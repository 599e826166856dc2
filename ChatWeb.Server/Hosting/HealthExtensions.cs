using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatWeb.Server.Hosting;

/// <summary>
/// Probes for orchestrators: <c>/healthz</c> says the process answers (no checks, so a full disk never
/// gets a live server killed); <c>/readyz</c> runs every check tagged <see cref="ReadyTag"/>, whichever
/// feature registered it, and answers 503 with the failing checks named when one fails.
/// </summary>
public static class HealthExtensions
{
    /// <summary>Tag a health check with this to make it part of <c>/readyz</c>.</summary>
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        // Each feature registers its own checks beside it (the data directory, the history writer, the gateway).
        builder.Services.AddHealthChecks();
        return builder;
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteJson });
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteJson });
        return app;
    }

    /// <summary><c>{"status":"Unhealthy","checks":{"data-directory":{"status":"Unhealthy","description":"..."}}}</c></summary>
    private static Task WriteJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
