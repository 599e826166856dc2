using ChatWeb.Server.Hosting;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Identity's user store over logins.csv. All accounts live in memory (so checking a cookie's
/// security stamp on every request is cheap). Every change is written to the file atomically before it
/// completes, and readers only ever see what is on disk. Changes that arrive while the file is being
/// written are saved together by the next write (group commit), and nobody waits on a lock while the disk works.
/// <para>
/// Sign-ins are the exception: the time and address of a sign-in are recorded in memory at once (readers see
/// them) and reach the file with the next write, at most <see cref="SignInWriteDelay"/> later. Losing one in a
/// crash costs a "Welcome" instead of a "Welcome back"; waiting for the disk would make a storm of sign-ins
/// rewrite the whole file over and over. They are written when the server stops (<see cref="FlushAsync"/>).
/// </para>
/// </summary>
public sealed partial class CsvUserStore(DataDirectory data, ILogger<CsvUserStore> logger) :
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

    // Sign-ins not yet on disk, by account: readers see them on top of _users. Each is numbered, so a write
    // removes exactly those it saved.
    private readonly Dictionary<string, RecordedSignIn> _unwrittenSignIns = new(StringComparer.Ordinal);

    // The number of the last sign-in recorded, and of the last one a write has taken (or a failed write dropped):
    // while they differ, _newest holds sign-ins that still need a write.
    private long _signInNumber;
    private long _signInsTaken;
    private bool _signInWriteScheduled;

    private readonly record struct RecordedSignIn(string SecurityStamp, DateTimeOffset At, string? LastIpProtected, long Number);

    /// <summary>How long a recorded sign-in may wait in memory for the next write of the file (tests lengthen it).</summary>
    internal TimeSpan SignInWriteDelay { get; set; } = TimeSpan.FromSeconds(1);

    public string FilePath { get; } = data.LoginsFile;

    /// <summary>How many times the file was rewritten since start: what group commit and the sign-in delay save.</summary>
    internal long WriteCount => Interlocked.Read(ref _writeCount);
    private long _writeCount;

    /// <summary>Reads logins.csv; throws (leaving the file untouched) when it cannot be trusted.</summary>
    public void Load()
    {
        var users = LoginsFileRepair.Load(FilePath, logger);
        lock (_gate)
        {
            foreach (var user in users.Values) user.Version = ++_version;
            (_users, _newest, _newestIsOwn) = (users, users, false);
            _unwrittenSignIns.Clear();
            _signInsTaken = _signInNumber;
        }
    }

    /// <summary>A copy of the account, looked up by name in any letter case; null when there is none.</summary>
    public ChatUser? Find(string userName)
    {
        lock (_gate) return _users.TryGetValue(UserNameKey.Of(userName), out var user) ? Read(user) : null;
    }

    public IReadOnlyList<ChatUser> All()
    {
        lock (_gate) return _users.Values.Select(Read).OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase).ToList();
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
        if (users.Values.FirstOrDefault(other => LookAlikes.Clash(other.Skeletons, user.Skeletons)) is { } original)
            return IdentityResult.Failed(LookAlikes.Error(user.UserName, original.UserName));
        if (user.CreatedAt == default) user.CreatedAt = DateTimeOffset.UtcNow;
        users[user.NormalizedUserName] = Stamped(user);
        return IdentityResult.Success;
    });

    /// <summary>
    /// Saves the caller's copy only when no other change came in since it was read (compare-and-swap on
    /// <see cref="ChatUser.Version"/>); otherwise Identity's ConcurrencyFailure, and the caller reads again.
    /// The sign-in time and address are not the caller's to change: they are kept as <see cref="RecordSignIn"/> left them.
    /// </summary>
    public Task<IdentityResult> UpdateAsync(ChatUser user, CancellationToken cancellationToken) => Change(users =>
    {
        if (!users.TryGetValue(user.NormalizedUserName, out var current))
            return IdentityResult.Failed(new IdentityError { Code = "UserGone", Description = "The account no longer exists." });
        if (current.Version != user.Version) return IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure());
        user.LastSignInAt = current.LastSignInAt;
        user.LastIpProtected = current.LastIpProtected;
        users[user.NormalizedUserName] = Stamped(user);
        return IdentityResult.Success;
    });

    // Under the lock: the copy to keep, under a version no copy handed out so far carries. The caller's own copy
    // moves to that version too, as Identity's EF store renews the entity's ConcurrencyStamp, so one copy can be
    // saved several times in a row (RemovePassword then AddPassword).
    private ChatUser Stamped(ChatUser user)
    {
        user.Version = ++_version;
        return user.Clone();
    }

    private long _version;

    /// <summary>
    /// Writes the file once more, changed or not, and completes when it is written (as a change's answer would):
    /// a refused sign-in under a name without an account waits for this, so it takes as long as one with an account.
    /// </summary>
    public Task WriteAsync()
    {
        lock (_gate) return QueueWrite();
    }

    /// <summary>Writes whatever is not on disk yet (recorded sign-ins); completes when it is. For shutdown.</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            if (!SignInsWaiting && _nextWrite is null && !_writing) return Task.CompletedTask;
            return QueueWrite();
        }
    }

    public Task<IdentityResult> DeleteAsync(ChatUser user, CancellationToken cancellationToken) =>
        Change(users => users.Remove(user.NormalizedUserName)
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError { Code = "UserGone", Description = "The account no longer exists." }));

    public Task<ChatUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(Find(userId));

    public Task<ChatUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        Task.FromResult(Find(normalizedUserName));

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
            result = change(OwnNewest());
            if (!result.Succeeded) return result;
            written = QueueWrite();
        }
        // A failed write throws here, as it did for the caller whose change it was.
        await written;
        return result;
    }

    // Under the lock: sign-ins recorded in _newest that no write has taken yet.
    private bool SignInsWaiting => _signInNumber != _signInsTaken;

    /// <summary>Under the lock: the newest state, copied first when somebody else holds it (the file's state, a write).</summary>
    private Dictionary<string, ChatUser> OwnNewest()
    {
        if (!_newestIsOwn)
        {
            _newest = new Dictionary<string, ChatUser>(_newest, StringComparer.Ordinal);
            _newestIsOwn = true;
        }
        return _newest;
    }

    /// <summary>Under the lock: a task that completes when the newest state is on disk; starts the writer if it is not running.</summary>
    private Task QueueWrite()
    {
        _nextWrite ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_writing)
        {
            _writing = true;
            _ = Task.Run(WriteLoop);
        }
        return _nextWrite.Task;
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
            long signInsUpTo;
            lock (_gate)
            {
                if (_nextWrite is null)
                {
                    _writing = false;
                    // Sign-ins recorded during the last write wait for the next one.
                    if (SignInsWaiting) ScheduleSignInWrite();
                    return;
                }
                (state, done, _nextWrite) = (_newest, _nextWrite, null);
                _newestIsOwn = false;
                signInsUpTo = _signInsTaken = _signInNumber;
            }

            try
            {
                WriteInOrder(state);
            }
            catch (Exception ex)
            {
                // Memory goes back to what the file holds. Changes made since were built on the state that
                // failed: they fail with it, and the sign-ins recorded in it are lost.
                TaskCompletionSource? later;
                lock (_gate)
                {
                    (later, _nextWrite, _newest, _newestIsOwn) = (_nextWrite, null, _users, false);
                    _unwrittenSignIns.Clear();
                    _signInsTaken = _signInNumber;
                }
                done.TrySetException(ex);
                later?.TrySetException(ex);
                continue;
            }

            Interlocked.Increment(ref _writeCount);
            lock (_gate)
            {
                _users = state;
                foreach (var (name, signIn) in _unwrittenSignIns)
                {
                    if (signIn.Number <= signInsUpTo) _unwrittenSignIns.Remove(name);
                }
            }
            done.TrySetResult();
        }
    }

    [LoggerMessage(LogLevel.Warning, "Sign-in times could not be saved to {Path}: {Error}")]
    private static partial void LogSignInsNotSaved(ILogger logger, string path, string error);
}
