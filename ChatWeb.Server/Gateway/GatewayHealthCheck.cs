using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatWeb.Server.Gateway;

/// <summary>Ready while the TCP gateway listens, or while the operator has paused it on purpose.</summary>
internal sealed class GatewayHealthCheck(GatewayStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status switch
        {
            { IsListening: true } => HealthCheckResult.Healthy($"listening on port {status.Port}"),
            { IsPaused: true } => HealthCheckResult.Healthy("paused by the operator"),
            _ => HealthCheckResult.Unhealthy("the TCP gateway is not listening"),
        });
}
