using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Chat;

/// <summary>A token bucket per user (names compared ignoring case), shared by every transport the user is on.</summary>
public sealed class UserRateLimiter(IOptions<ChatOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Takes one token from the user's bucket; false when it is empty.</summary>
    public bool TryTake(string userName)
    {
        var o = options.Value;
        if (o.RatePerSecond <= 0) return true;
        var bucket = _buckets.GetOrAdd(userName, _ => new Bucket(Math.Max(1, o.RateBurst), time.GetTimestamp()));
        return bucket.TryTake(o.RatePerSecond, Math.Max(1, o.RateBurst), time);
    }

    private sealed class Bucket(double tokens, long stamp)
    {
        private double _tokens = tokens;
        private long _stamp = stamp;

        public bool TryTake(double ratePerSecond, int burst, TimeProvider time)
        {
            lock (this)
            {
                var now = time.GetTimestamp();
                _tokens = Math.Min(burst, _tokens + time.GetElapsedTime(_stamp, now).TotalSeconds * ratePerSecond);
                _stamp = now;
                if (_tokens < 1) return false;
                _tokens -= 1;
                return true;
            }
        }
    }
}
