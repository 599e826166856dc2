using ChatWeb.Server.Hosting;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Identity's user store over logins.csv. All accounts live in memory (so checking a cookie's
/// security stamp on every request is cheap). Every change is written to the file atomically before it
/// completes, and readers only ever see what is on disk. Changes that arrive while the file is being
/// written are saved together by the next write (group commit): a thousand sign-ins at once cost a few
/// rewrites of the file, not a thousand, and nobody waits on a lock while the disk works.
/// </summary>
public sealed class CsvUserStore(DataDirectory data) :
    IUserPasswordStore<ChatUser>,
    IUserSecurityStampStore<ChatUser>,
    IUserLockoutStore<ChatUser>,
    IUserRoleStore<ChatUser>
{
    private readonly Lock _gate = new();

    // What logins.csv holds: the only state readers see.
    private Dictionary<string, ChatUser> _users = new(StringComparer.Ordinal);

    // _users plus every change since, written or not: what the next change builds on.
    private Dictionary<string, ChatUser> _newest = new(StringComparer.Ordinal);

    // True while _newest is a copy nobody else holds (not _users, not being written): changes go into it in
    // place, so a burst of changes costs one copy of the accounts per write, not one per change.
    private bool _newestIsOwn;

    // Completes when the changes not yet taken by a write are on disk; null when there are none.
    private TaskCompletionSource? _nextWrite;
    private bool _writing;

    public string FilePath { get; } = data.LoginsFile;

    /// <summary>Reads logins.csv; throws (leaving the file untouched) when it cannot be trusted.</summary>
    public void Load()
    {
        var users = LoginsFile.Read(FilePath).ToDictionary(u => u.NormalizedUserName, StringComparer.Ordinal);
        lock (_gate) (_users, _newest, _newestIsOwn) = (users, users, false);
    }

    /// <summary>A copy of the account, looked up by name in any letter case; null when there is none.</summary>
    public ChatUser? Find(string userName)
    {
        lock (_gate) return _users.GetValueOrDefault(userName.ToUpperInvariant())?.Clone();
    }

    public IReadOnlyList<ChatUser> All()
    {
        lock (_gate) return _users.Values.Select(u => u.Clone()).OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>Removes every account that matches, in one change; returns the removed names.</summary>
    public async Task<IReadOnlyList<string>> RemoveWhereAsync(Func<ChatUser, bool> predicate)
    {
        var removed = new List<string>();
        await Change(users =>
        {
            foreach (var user in users.Values.Where(predicate).ToList())
            {
                users.Remove(user.NormalizedUserName);
                removed.Add(user.UserName);
            }
            return IdentityResult.Success;
        });
        return removed;
    }

    public Task<IdentityResult> CreateAsync(ChatUser user, CancellationToken cancellationToken) => Change(users =>
    {
        if (users.ContainsKey(user.NormalizedUserName))
            return IdentityResult.Failed(new IdentityErrorDescriber().DuplicateUserName(user.UserName));
        if (user.CreatedAt == default) user.CreatedAt = DateTimeOffset.UtcNow;
        users[user.NormalizedUserName] = user.Clone();
        return IdentityResult.Success;
    });

    public Task<IdentityResult> UpdateAsync(ChatUser user, CancellationToken cancellationToken) => Change(users =>
    {
        if (!users.ContainsKey(user.NormalizedUserName))
            return IdentityResult.Failed(new IdentityError { Code = "UserGone", Description = "The account no longer exists." });
        users[user.NormalizedUserName] = user.Clone();
        return IdentityResult.Success;
    });

    /// <summary>
    /// Records a sign-in on the newest state of the account, leaving everything else as it is; false when the
    /// account is gone or its security stamp is no longer <paramref name="securityStamp"/>.
    /// </summary>
    public async Task<bool> RecordSignInAsync(string normalizedUserName, string securityStamp, DateTimeOffset at, string? lastIpProtected)
    {
        var result = await Change(users =>
        {
            if (!users.TryGetValue(normalizedUserName, out var current) || current.SecurityStamp != securityStamp)
                return IdentityResult.Failed();
            var updated = current.Clone();
            updated.LastSignInAt = at;
            updated.LastIpProtected = lastIpProtected;
            users[normalizedUserName] = updated;
            return IdentityResult.Success;
        });
        return result.Succeeded;
    }

    public Task<IdentityResult> DeleteAsync(ChatUser user, CancellationToken cancellationToken) =>
        Change(users => users.Remove(user.NormalizedUserName)
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError { Code = "UserGone", Description = "The account no longer exists." }));

    public Task<ChatUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(Find(userId));

    public Task<ChatUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        Task.FromResult(Find(normalizedUserName));

    public Task<string> GetUserIdAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.UserName);
    public Task<string?> GetUserNameAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.UserName);
    public Task<string?> GetNormalizedUserNameAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.NormalizedUserName);

    public Task SetUserNameAsync(ChatUser user, string? userName, CancellationToken cancellationToken)
    {
        user.UserName = userName ?? throw new ArgumentNullException(nameof(userName));
        return Task.CompletedTask;
    }

    public Task SetNormalizedUserNameAsync(ChatUser user, string? normalizedName, CancellationToken cancellationToken)
    {
        user.NormalizedUserName = normalizedName ?? throw new ArgumentNullException(nameof(normalizedName));
        return Task.CompletedTask;
    }

    public Task SetPasswordHashAsync(ChatUser user, string? passwordHash, CancellationToken cancellationToken)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash);
    public Task<bool> HasPasswordAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.PasswordHash is not null);

    public Task SetSecurityStampAsync(ChatUser user, string stamp, CancellationToken cancellationToken)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult<string?>(user.SecurityStamp);

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.LockoutEnd);

    public Task SetLockoutEndDateAsync(ChatUser user, DateTimeOffset? lockoutEnd, CancellationToken cancellationToken)
    {
        user.LockoutEnd = lockoutEnd;
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(++user.AccessFailedCount);

    public Task ResetAccessFailedCountAsync(ChatUser user, CancellationToken cancellationToken)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(user.AccessFailedCount);

    // Lockout applies to every account, the admin's included.
    public Task<bool> GetLockoutEnabledAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult(true);
    public Task SetLockoutEnabledAsync(ChatUser user, bool enabled, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task AddToRoleAsync(ChatUser user, string roleName, CancellationToken cancellationToken)
    {
        // Identity passes the normalized (upper-case) name; role claims compare exactly, so keep the canonical spelling.
        if (string.Equals(roleName, AccountRoles.Admin, StringComparison.OrdinalIgnoreCase)) roleName = AccountRoles.Admin;
        if (!user.Roles.Contains(roleName, StringComparer.OrdinalIgnoreCase)) user.Roles.Add(roleName);
        return Task.CompletedTask;
    }

    public Task RemoveFromRoleAsync(ChatUser user, string roleName, CancellationToken cancellationToken)
    {
        user.Roles.RemoveAll(r => string.Equals(r, roleName, StringComparison.OrdinalIgnoreCase));
        return Task.CompletedTask;
    }

    public Task<IList<string>> GetRolesAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult<IList<string>>([.. user.Roles]);

    public Task<bool> IsInRoleAsync(ChatUser user, string roleName, CancellationToken cancellationToken) =>
        Task.FromResult(user.Roles.Contains(roleName, StringComparer.OrdinalIgnoreCase));

    public Task<IList<ChatUser>> GetUsersInRoleAsync(string roleName, CancellationToken cancellationToken)
    {
        lock (_gate)
            return Task.FromResult<IList<ChatUser>>(_users.Values.Where(u => u.Roles.Contains(roleName, StringComparer.OrdinalIgnoreCase)).Select(u => u.Clone()).ToList());
    }

    public void Dispose()
    {
    }

    private async Task<IdentityResult> Change(Func<Dictionary<string, ChatUser>, IdentityResult> change)
    {
        Task written;
        IdentityResult result;
        lock (_gate)
        {
            // Changes build on the newest state, written or not. The changes never alter anything when they refuse.
            if (!_newestIsOwn)
            {
                _newest = new Dictionary<string, ChatUser>(_newest, StringComparer.Ordinal);
                _newestIsOwn = true;
            }
            result = change(_newest);
            if (!result.Succeeded) return result;
            _nextWrite ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            written = _nextWrite.Task;
            if (!_writing)
            {
                _writing = true;
                _ = Task.Run(WriteLoop);
            }
        }
        // A failed write throws here, as it did for the caller whose change it was.
        await written;
        return result;
    }

    // Oldest account first; equal times by name, so the order does not depend on the dictionary.
    private static readonly Comparison<ChatUser> ByCreation = (a, b) =>
        a.CreatedAt.CompareTo(b.CreatedAt) is var byTime and not 0 ? byTime : string.CompareOrdinal(a.NormalizedUserName, b.NormalizedUserName);

    /// <summary>Writes every account, oldest first, sorted in a pooled array: a write happens for every few sign-ins.</summary>
    private void WriteInOrder(Dictionary<string, ChatUser> state)
    {
        var count = state.Count;
        var users = System.Buffers.ArrayPool<ChatUser>.Shared.Rent(count);
        try
        {
            state.Values.CopyTo(users, 0);
            users.AsSpan(0, count).Sort(ByCreation);
            LoginsFile.Write(FilePath, new ArraySegment<ChatUser>(users, 0, count));
        }
        finally
        {
            System.Buffers.ArrayPool<ChatUser>.Shared.Return(users, clearArray: true);
        }
    }

    /// <summary>Writes the newest state until no change waits; one writer at a time, the lock never held across the disk.</summary>
    private void WriteLoop()
    {
        while (true)
        {
            Dictionary<string, ChatUser> state;
            TaskCompletionSource done;
            lock (_gate)
            {
                if (_nextWrite is null)
                {
                    _writing = false;
                    return;
                }
                (state, done, _nextWrite) = (_newest, _nextWrite, null);
                _newestIsOwn = false;
            }

            try
            {
                WriteInOrder(state);
            }
            catch (Exception ex)
            {
                // Memory goes back to what the file holds. Changes made since were built on the state that
                // failed: they fail with it.
                TaskCompletionSource? later;
                lock (_gate)
                {
                    (later, _nextWrite, _newest, _newestIsOwn) = (_nextWrite, null, _users, false);
                }
                done.TrySetException(ex);
                later?.TrySetException(ex);
                continue;
            }

            lock (_gate) _users = state;
            done.TrySetResult();
        }
    }
}
