using ChatWeb.Server.Hosting;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Identity's user store over logins.csv. All accounts live in memory (so checking a cookie's
/// security stamp on every request is cheap); every change rewrites the file atomically under one lock.
/// </summary>
public sealed class CsvUserStore(DataDirectory data) :
    IUserPasswordStore<ChatUser>,
    IUserSecurityStampStore<ChatUser>,
    IUserLockoutStore<ChatUser>,
    IUserRoleStore<ChatUser>
{
    private readonly Lock _gate = new();
    private Dictionary<string, ChatUser> _users = new(StringComparer.Ordinal);

    public string FilePath { get; } = data.LoginsFile;

    /// <summary>Reads logins.csv; throws (leaving the file untouched) when it cannot be trusted.</summary>
    public void Load()
    {
        var users = LoginsFile.Read(FilePath).ToDictionary(u => u.NormalizedUserName, StringComparer.Ordinal);
        lock (_gate) _users = users;
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

    /// <summary>Removes every account that matches, in one write; returns the removed names.</summary>
    public IReadOnlyList<string> RemoveWhere(Func<ChatUser, bool> predicate)
    {
        lock (_gate)
        {
            var keep = _users.Values.Where(u => !predicate(u)).ToDictionary(u => u.NormalizedUserName, StringComparer.Ordinal);
            var removed = _users.Values.Where(predicate).Select(u => u.UserName).ToList();
            if (removed.Count > 0) Save(keep);
            return removed;
        }
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

    private Task<IdentityResult> Change(Func<Dictionary<string, ChatUser>, IdentityResult> change)
    {
        lock (_gate)
        {
            // Changed on a copy and saved first: when the write fails, memory still matches the file.
            var next = new Dictionary<string, ChatUser>(_users, StringComparer.Ordinal);
            var result = change(next);
            if (result.Succeeded) Save(next);
            return Task.FromResult(result);
        }
    }

    private void Save(Dictionary<string, ChatUser> users)
    {
        LoginsFile.Write(FilePath, users.Values.OrderBy(u => u.CreatedAt));
        _users = users;
    }
}
