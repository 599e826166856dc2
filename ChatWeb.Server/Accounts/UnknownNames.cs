using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Sign-ins under names that have no account look exactly like wrong passwords for real ones, so answers do not tell
/// which names exist: each costs one password hash and one write of logins.csv (as a real account's wrong password
/// does), answers 401, and five of them within the lockout time make the name answer 423, as a real account would.
/// </summary>
public sealed class UnknownNames(IPasswordHasher<ChatUser> hasher, IOptions<IdentityOptions> identity, AccountFile accounts, TimeProvider time)
{
    // Bounded: a guesser spraying names (already held to the per-address sign-in budget) cannot grow it for ever.
    internal const int MaxTracked = 100_000;

    private static readonly ChatUser Nobody = new() { UserName = "" };
    private readonly Lazy<string> _hashOfNothing = new(() => hasher.HashPassword(Nobody, Guid.NewGuid().ToString()));
    private readonly Dictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    private sealed record Failures(int Count, DateTimeOffset LockedUntil, DateTimeOffset Last);

    private LockoutOptions Lockout => identity.Value.Lockout;

    /// <summary>
    /// Refuses a password for a name without an account at a real refusal's cost: the password is hashed as a check
    /// would, the failure counted, and the answer waits for a write of logins.csv, as a real account's failure is
    /// answered once the file holds it (the write's time grows with the number of accounts).
    /// </summary>
    public async Task RefuseAsync(string userName, string password)
    {
        hasher.VerifyHashedPassword(Nobody, _hashOfNothing.Value, password);
        RecordFailure(userName);
        await accounts.WriteAsync();
    }

    public bool IsLockedOut(string userName)
    {
        lock (_failures)
            return _failures.TryGetValue(UserNameKey.Of(userName), out var failures) && failures.LockedUntil > time.GetUtcNow();
    }

    /// <summary>Counts a failed sign-in under a name without an account; the fifth locks the name for the lockout time.</summary>
    private void RecordFailure(string userName)
    {
        var now = time.GetUtcNow();
        var key = UserNameKey.Of(userName);
        lock (_failures)
        {
            var known = _failures.TryGetValue(key, out var failures);
            if (known && failures!.LockedUntil > now) return;
            var count = known ? failures!.Count + 1 : 1;
            if (!_failures.ContainsKey(key) && _failures.Count >= MaxTracked) ForgetStale(now);
            _failures[key] = count >= Lockout.MaxFailedAccessAttempts
                ? new Failures(0, now + Lockout.DefaultLockoutTimeSpan, now)
                : new Failures(count, DateTimeOffset.MinValue, now);
        }
    }

    internal int Count
    {
        get { lock (_failures) return _failures.Count; }
    }

    // Under the lock: drops names not locked and not failed within the lockout time; if all are fresh, the oldest half.
    private void ForgetStale(DateTimeOffset now)
    {
        var stale = _failures.Where(f => f.Value.LockedUntil <= now && now - f.Value.Last > Lockout.DefaultLockoutTimeSpan).Select(f => f.Key).ToList();
        if (stale.Count == 0) stale = _failures.OrderBy(f => f.Value.Last).Take(_failures.Count / 2).Select(f => f.Key).ToList();
        foreach (var key in stale) _failures.Remove(key);
    }
}
