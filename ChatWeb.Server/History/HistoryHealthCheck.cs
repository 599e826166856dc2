using ChatWeb.Server.Chat;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatWeb.Server.History;

/// <summary>
/// The room's sequencer (the one history writer) is running and its last write worked. The sequencer keeps that state
/// because it is the sequencer that refuses messages while the history cannot be written.
/// </summary>
internal sealed class HistoryHealthCheck(RoomSequencer room) : IHealthCheck
{
    public const string Name = "history-writer";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(
            room.ExecuteTask is { IsCompleted: true } ? HealthCheckResult.Unhealthy("the room's sequencer has stopped")
            : !room.IsStorageHealthy ? HealthCheckResult.Unhealthy("the last history write failed; messages are refused until one works")
            : HealthCheckResult.Healthy("history writer running"));
}
