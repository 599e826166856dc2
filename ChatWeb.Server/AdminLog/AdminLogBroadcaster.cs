using Microsoft.AspNetCore.SignalR;

namespace ChatWeb.Server.AdminLog;

/// <summary>Forwards the live log to every admin connected to <see cref="AdminHub"/>.</summary>
internal sealed class AdminLogBroadcaster(LiveLog log, IHubContext<AdminHub, IAdminClient> hub) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var line in log.Lines.ReadAllAsync(stoppingToken))
            {
                var first = line.Split('\n', 2);
                if (LogTail.Parse(first[0]) is not { } entry) continue;
                if (first.Length > 1) entry = entry with { Text = entry.Text + "\n" + first[1] };
                await hub.Clients.All.LogEntry(entry);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
