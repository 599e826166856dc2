using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Security;

/// <summary>
/// The sign-in budget: attempts per minute per <see cref="ClientNetwork"/>, in one table that the web's rate
/// limiter (<see cref="SignInBudget"/>) and the TCP prompts both spend from, so a guesser gets no more tries
/// by switching doors. A network's window starts at its first attempt. Once a minute a sweep drops every
/// window that has passed; that loses nothing (the network's next attempt would start a new window anyway),
/// so idle networks cost no memory and rotating through addresses cannot make the table grow for ever.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly IOptions<SecurityOptions> _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<ClientNetwork, Attempts> _networks = new();
    private readonly ITimer _sweep;

    public SignInThrottle(IOptions<SecurityOptions> options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _sweep = time.CreateTimer(_ => DropPassedWindows(), null, Window, Window);
    }

    public bool IsEnabled => Limit > 0;

    private int Limit => _options.Value.SignInAttemptsPerMinutePerIp;

    /// <summary>Networks with a window open: what the table holds right now.</summary>
    internal int PartitionCount => _networks.Count;

    /// <summary>Counts one attempt from <paramref name="ip"/>'s network; false when its budget for this window is spent.</summary>
    public bool TryAcquire(IPAddress? ip) => TryAcquire(ClientNetwork.Of(ip), 1);

    /// <summary>Spends <paramref name="permits"/> attempts, all or none; 0 only asks whether one is left.</summary>
    internal bool TryAcquire(ClientNetwork network, int permits)
    {
        if (!IsEnabled || network == ClientNetwork.NotCounted) return true;
        while (true)
        {
            var attempts = _networks.GetOrAdd(network, static (_, now) => new Attempts(now), _time.GetTimestamp());
            lock (attempts)
            {
                // The sweep dropped this window between the lookup and the lock: spend from the table's current one,
                // or this attempt would count in a window nobody sees any more.
                if (attempts.Dropped) continue;
                var now = _time.GetTimestamp();
                if (_time.GetElapsedTime(attempts.WindowStart, now) >= Window)
                {
                    attempts.WindowStart = now;
                    attempts.Used = 0;
                }
                if (permits == 0) return attempts.Used < Limit;
                if (permits > Limit - attempts.Used) return false;
                attempts.Used += permits;
                return true;
            }
        }
    }

    /// <summary>Attempts left to <paramref name="network"/> in its current window.</summary>
    internal int Available(ClientNetwork network)
    {
        if (!_networks.TryGetValue(network, out var attempts)) return Limit;
        lock (attempts) return _time.GetElapsedTime(attempts.WindowStart) >= Window ? Limit : Math.Max(0, Limit - attempts.Used);
    }

    /// <summary>How long <paramref name="network"/> has had its whole budget; null while a window is open.</summary>
    internal TimeSpan? IdleDuration(ClientNetwork network)
    {
        if (!_networks.TryGetValue(network, out var attempts)) return TimeSpan.MaxValue;
        lock (attempts)
        {
            var sinceWindowEnd = _time.GetElapsedTime(attempts.WindowStart) - Window;
            return sinceWindowEnd >= TimeSpan.Zero ? sinceWindowEnd : null;
        }
    }

    private void DropPassedWindows()
    {
        var now = _time.GetTimestamp();
        foreach (var (network, attempts) in _networks)
        {
            lock (attempts)
            {
                if (_time.GetElapsedTime(attempts.WindowStart, now) < Window) continue;
                attempts.Dropped = true;
                _networks.TryRemove(KeyValuePair.Create(network, attempts));
            }
        }
    }

    public void Dispose() => _sweep.Dispose();

    private sealed class Attempts(long windowStart)
    {
        public long WindowStart = windowStart;
        public int Used;
        public bool Dropped;
    }
}
