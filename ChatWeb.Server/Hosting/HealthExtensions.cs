using System.Text.Json;
using ChatWeb.Server.Chat;
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
        builder.Services.AddHealthChecks()
            // A hung disk must not hang the probe: the check gives up after the timeout and counts as failed.
            .AddCheck<DataDirectoryWritable>("data-directory", tags: [ReadyTag], timeout: TimeSpan.FromSeconds(5))
            .AddCheck<HistoryWriterRunning>("history-writer", tags: [ReadyTag]);
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

    /// <summary>
    /// Really writes: creates and deletes a small file in the data directory and in history/, since
    /// permissions, read-only mounts, immutable flags and full disks all show only when a write is tried.
    /// </summary>
    private sealed class DataDirectoryWritable(DataDirectory data) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            try
            {
                // On the thread pool so that the registration's timeout can give up on a disk that hangs.
                await Task.Run(() =>
                {
                    Probe(data.Root);
                    Probe(data.HistoryFolder);
                }, cancellationToken).WaitAsync(cancellationToken);
                return HealthCheckResult.Healthy($"{data.Root} is writable");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return HealthCheckResult.Unhealthy($"{data.Root} is not writable: {ex.Message}");
            }
        }

        private static void Probe(string folder)
        {
            PrivateFiles.CreateFolder(folder);
            var path = Path.Combine(folder, $".readyz-{Guid.NewGuid():N}.tmp");
            try
            {
                using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
                    file.WriteByte(1);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>The room's sequencer (the one history writer) is running and its last write worked.</summary>
    private sealed class HistoryWriterRunning(RoomSequencer room) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
            Task.FromResult(
                room.ExecuteTask is { IsCompleted: true } ? HealthCheckResult.Unhealthy("the room's sequencer has stopped")
                : !room.IsStorageHealthy ? HealthCheckResult.Unhealthy("the last history write failed; messages are refused until one works")
                : HealthCheckResult.Healthy("history writer running"));
    }
}
