using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Security;

/// <summary>
/// One budget of sign-in attempts per client IP per minute, shared by the web forms, the account API
/// and the TCP password prompts, so a guesser cannot get more tries by switching doors.
/// </summary>
public sealed class SignInThrottle(IOptions<SecurityOptions> options)
{
    private readonly ConcurrentDictionary<IPAddress, FixedWindowRateLimiter> _windows = new();

    public bool IsEnabled => options.Value.SignInAttemptsPerMinutePerIp > 0;

    /// <summary>Counts one attempt from <paramref name="ip"/>; false when its budget for this minute is spent.</summary>
    public bool TryAcquire(IPAddress? ip)
    {
        if (!IsEnabled) return true;
        using var lease = LimiterFor(ip).AttemptAcquire();
        return lease.IsAcquired;
    }

    /// <summary>The limiter of one IP, wrapped so that the ASP.NET rate limiter can share it without disposing it.</summary>
    public RateLimiter SharedLimiterFor(IPAddress? ip) => new Shared(LimiterFor(ip));

    // An IPv4 client seen through a dual-mode socket (Kestrel on [::]) is ::ffff:a.b.c.d; it shares the budget of a.b.c.d.
    private FixedWindowRateLimiter LimiterFor(IPAddress? ip) =>
        _windows.GetOrAdd(ip is { IsIPv4MappedToIPv6: true } ? ip.MapToIPv4() : ip ?? IPAddress.None, _ => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.SignInAttemptsPerMinutePerIp,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    private sealed class Shared(RateLimiter inner) : RateLimiter
    {
        public override TimeSpan? IdleDuration => inner.IdleDuration;
        public override RateLimiterStatistics? GetStatistics() => inner.GetStatistics();
        protected override RateLimitLease AttemptAcquireCore(int permitCount) => inner.AttemptAcquire(permitCount);
        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            inner.AcquireAsync(permitCount, cancellationToken);
    }
}
