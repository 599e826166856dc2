namespace ChatWeb.Server.Accounts;

/// <summary>
/// One password check or change at a time per account name. Without it, forty guesses sent at once would all read
/// "no failures yet", all be checked, and only then be counted: lockout after five would allow forty. In turn, the
/// sixth guess finds the account locked and is answered without a check. Names with no account queue the same way.
/// </summary>
public sealed class AccountGate
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed class Entry
    {
        public readonly SemaphoreSlim Turn = new(1, 1);
        public int Users;
    }

    /// <summary>Waits for the name's turn; disposing the result gives the turn to the next in line.</summary>
    public async Task<IDisposable> EnterAsync(string userName)
    {
        var key = UserNameKey.Of(userName);
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out entry!)) _entries.Add(key, entry = new Entry());
            entry.Users++;
        }
        await entry.Turn.WaitAsync();
        return new Turn(this, key, entry);
    }

    /// <summary>How many names have somebody waiting or inside: entries go as soon as nobody uses them.</summary>
    internal int Count
    {
        get { lock (_entries) return _entries.Count; }
    }

    private void Leave(string key, Entry entry)
    {
        entry.Turn.Release();
        lock (_entries)
        {
            if (--entry.Users == 0) _entries.Remove(key);
        }
    }

    private sealed class Turn(AccountGate gate, string key, Entry entry) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0) gate.Leave(key, entry);
        }
    }
}
