using ChatWeb.Server.Hosting;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// The accounts, kept in memory and in logins.csv. All accounts live in memory (so checking a cookie's
/// security stamp on every request is cheap). Every change is written to the file atomically before it
/// completes, and readers only ever see what is on disk. Changes that arrive while the file is being
/// written are saved together by the next write (group commit), and nobody waits on a lock while the disk works.
/// <para>
/// Sign-ins are the exception: the time and address of a sign-in are recorded in memory at once (readers see
/// them) and reach the file with the next write, at most <see cref="SignInWriteDelay"/> later. Losing one in a
/// crash costs a "Welcome" instead of a "Welcome back"; waiting for the disk would make a storm of sign-ins
/// rewrite the whole file over and over. They are written when the server stops (<see cref="FlushAsync"/>).
/// </para>
/// <para>
/// A change either is saved or refuses without touching anything (<see cref="AccountChange"/>); a replacement is a
/// compare-and-swap on <see cref="ChatUser.Version"/>. Identity reaches the accounts through <see cref="ChatUserStore"/>.
/// </para>
/// </summary>
public sealed partial class AccountFile(DataDirectory data, ILogger<AccountFile> logger)
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

    /// <summary>Runs on the writer before each write, outside the lock: tests hold a write here to make changes arrive while it is under way.</summary>
    internal Action? BeforeWrite { get; set; }

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

    /// <summary>A copy of every account, by name.</summary>
    public IReadOnlyList<ChatUser> All()
    {
        lock (_gate) return _users.Values.Select(Read).OrderBy(u => u.UserName, StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>A copy of every account in the role (any letter case).</summary>
    public IReadOnlyList<ChatUser> InRole(string role)
    {
        lock (_gate) return _users.Values.Where(u => u.Roles.Contains(role, StringComparer.OrdinalIgnoreCase)).Select(Read).ToList();
    }

    /// <summary>Adds a new account unless its name, or a name that looks the same, is taken (by a change written or not).</summary>
    public Task<AccountChange> AddAsync(ChatUser user) => Change(users =>
    {
        if (users.ContainsKey(user.NormalizedUserName)) return new AccountChange(AccountChangeStatus.NameTaken);
        if (users.Values.FirstOrDefault(other => LookAlikes.Clash(other.Skeletons, user.Skeletons)) is { } original)
            return new AccountChange(AccountChangeStatus.LookAlike, original.UserName);
        if (user.CreatedAt == default) user.CreatedAt = DateTimeOffset.UtcNow;
        users[user.NormalizedUserName] = Stamped(user);
        return AccountChange.Saved;
    });

    /// <summary>
    /// Saves the caller's copy only when no other change came in since it was read (compare-and-swap on
    /// <see cref="ChatUser.Version"/>); otherwise <see cref="AccountChangeStatus.Overtaken"/>, and the caller reads
    /// again. The sign-in time and address are not the caller's to change: they stay as <see cref="RecordSignIn"/> left them.
    /// </summary>
    public Task<AccountChange> ReplaceAsync(ChatUser user) => Change(users =>
    {
        if (!users.TryGetValue(user.NormalizedUserName, out var current)) return new AccountChange(AccountChangeStatus.Gone);
        if (current.Version != user.Version) return new AccountChange(AccountChangeStatus.Overtaken);
        user.LastSignInAt = current.LastSignInAt;
        user.LastIpProtected = current.LastIpProtected;
        users[user.NormalizedUserName] = Stamped(user);
        return AccountChange.Saved;
    });

    public Task<AccountChange> RemoveAsync(string normalizedUserName) => Change(users =>
        users.Remove(normalizedUserName) ? AccountChange.Saved : new AccountChange(AccountChangeStatus.Gone));

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
            return AccountChange.Saved;
        });
        return removed;
    }

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

    private async Task<AccountChange> Change(Func<Dictionary<string, ChatUser>, AccountChange> change)
    {
        Task written;
        AccountChange result;
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
                BeforeWrite?.Invoke();
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
