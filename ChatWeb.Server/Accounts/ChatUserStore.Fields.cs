using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// The fields of one account as Identity reads and sets them. They act on the caller's copy only: nothing here
/// touches the store, and a change counts once the copy is saved (<see cref="ChatUserStore.UpdateAsync"/>).
/// </summary>
public sealed partial class ChatUserStore
{
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
        if (user.Roles.Contains(roleName, StringComparer.OrdinalIgnoreCase)) return Task.CompletedTask;
        user.Roles.Add(roleName);
        RenewStamp(user);
        return Task.CompletedTask;
    }

    public Task RemoveFromRoleAsync(ChatUser user, string roleName, CancellationToken cancellationToken)
    {
        if (user.Roles.RemoveAll(r => string.Equals(r, roleName, StringComparison.OrdinalIgnoreCase)) > 0) RenewStamp(user);
        return Task.CompletedTask;
    }

    // Saved with the roles by the update that follows, so the store never holds new rights under the old stamp.
    private static void RenewStamp(ChatUser user) => user.SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(20));

    public Task<IList<string>> GetRolesAsync(ChatUser user, CancellationToken cancellationToken) => Task.FromResult<IList<string>>([.. user.Roles]);

    public Task<bool> IsInRoleAsync(ChatUser user, string roleName, CancellationToken cancellationToken) =>
        Task.FromResult(user.Roles.Contains(roleName, StringComparer.OrdinalIgnoreCase));
}
