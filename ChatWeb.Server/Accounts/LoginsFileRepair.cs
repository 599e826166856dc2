namespace ChatWeb.Server.Accounts;

/// <summary>
/// What start-up does with accounts whose stored key is not the one <see cref="UserNameKey"/> gives their name
/// (files written before names were keyed by NFKC): each gets its right key, and when two accounts then share a key
/// (say "admin" and a fullwidth "ａdmin") the older one keeps it and the newer is set aside in a file of its own,
/// never lost and never a reason to refuse to start. The repaired file is written at once, so this happens once.
/// </summary>
internal static partial class LoginsFileRepair
{
    public static Dictionary<string, ChatUser> Load(string path, ILogger logger)
    {
        var rekeyed = new List<(long Line, ChatUser User)>();
        var all = LoginsFile.Read(path, rekeyed);
        var users = new Dictionary<string, ChatUser>(StringComparer.Ordinal);
        var setAside = new List<ChatUser>();
        // Oldest first, so the account that had the name first keeps it.
        foreach (var user in all.OrderBy(u => u.CreatedAt))
        {
            if (users.TryGetValue(user.NormalizedUserName, out var holder))
            {
                setAside.Add(user);
                LogSetAside(logger, user.UserName, holder.UserName);
            }
            else users.Add(user.NormalizedUserName, user);
        }
        if (rekeyed.Count == 0 && setAside.Count == 0) return users;

        foreach (var (line, user) in rekeyed) LogRekeyed(logger, path, line, user.UserName);
        if (setAside.Count > 0)
        {
            var aside = Path.Combine(Path.GetDirectoryName(path)!, $"logins.set-aside-{DateTime.UtcNow:yyyyMMdd'T'HHmmss'Z'}.csv");
            LoginsFile.Write(aside, setAside);
            LogSetAsideFile(logger, setAside.Count, aside);
        }
        LoginsFile.Write(path, users.Values.OrderBy(u => u.CreatedAt).ToList());
        return users;
    }

    [LoggerMessage(LogLevel.Warning, "Accounts file {Path}, line {Line}: the stored key of {User} was made by an older rule and has been renewed")]
    private static partial void LogRekeyed(ILogger logger, string path, long line, string user);

    [LoggerMessage(LogLevel.Warning, "Account {User} is set aside: under Unicode normalization its name is the same as the older account {Holder}'s")]
    private static partial void LogSetAside(ILogger logger, string user, string holder);

    [LoggerMessage(LogLevel.Warning, "{Count} account(s) set aside in {Path}; they can no longer sign in, and nothing else changed")]
    private static partial void LogSetAsideFile(ILogger logger, int count, string path);
}
