using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatWeb.Server.Hosting;

/// <summary>
/// Really writes: creates and deletes a small file in the data directory and in history/, since
/// permissions, read-only mounts, immutable flags and full disks all show only when a write is tried.
/// </summary>
internal sealed class DataDirectoryHealthCheck(DataDirectory data) : IHealthCheck
{
    public const string Name = "data-directory";

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
