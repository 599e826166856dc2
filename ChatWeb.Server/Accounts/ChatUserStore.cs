using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Identity's user store: <see cref="AccountFile"/>'s accounts and changes in Identity's terms. It holds nothing and
/// writes nothing of its own; a refused change comes back as the <see cref="IdentityResult"/> Identity expects
/// (a lost compare-and-swap as <see cref="IdentityErrorDescriber.ConcurrencyFailure"/>), a failed write as the exception.
/// <para>
/// One rule of ChatWeb's lives here, where no caller can skip it: a change of roles is a change of rights, so it
/// renews the security stamp (Identity's role methods keep the old one) in the same write, and ends the account's
/// live sessions once that write is saved.
/// </para>
/// </summary>
public sealed partial class ChatUserStore(AccountFile accounts, AccountEvents events) :
    IUserPasswordStore<ChatUser>,
    IUserSecurityStampStore<ChatUser>,
    IUserLockoutStore<ChatUser>,
    IUserRoleStore<ChatUser>
{
    public async Task<IdentityResult> CreateAsync(ChatUser user, CancellationToken cancellationToken) =>
        Result(await accounts.AddAsync(user), user);

    public const string RightsChanged = "your rights were changed; sign in again";

    public async Task<IdentityResult> UpdateAsync(ChatUser user, CancellationToken cancellationToken)
    {
        // Read before the save: a save that succeeds replaced exactly this version (compare-and-swap).
        var before = accounts.Find(user.UserName);
        var result = Result(await accounts.ReplaceAsync(user), user);
        if (result.Succeeded && before is not null && !before.Roles.Order(StringComparer.OrdinalIgnoreCase).SequenceEqual(user.Roles.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase))
            await events.EndSessionsAsync(user.UserName, RightsChanged);
        return result;
    }

    public async Task<IdentityResult> DeleteAsync(ChatUser user, CancellationToken cancellationToken) =>
        Result(await accounts.RemoveAsync(user.NormalizedUserName), user);

    public Task<ChatUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(accounts.Find(userId));

    public Task<ChatUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        Task.FromResult(accounts.Find(normalizedUserName));

    public Task<IList<ChatUser>> GetUsersInRoleAsync(string roleName, CancellationToken cancellationToken) =>
        Task.FromResult<IList<ChatUser>>([.. accounts.InRole(roleName)]);

    public void Dispose()
    {
    }

    private static IdentityResult Result(AccountChange change, ChatUser user) => change.Status switch
    {
        AccountChangeStatus.Saved => IdentityResult.Success,
        AccountChangeStatus.NameTaken => IdentityResult.Failed(new IdentityErrorDescriber().DuplicateUserName(user.UserName)),
        AccountChangeStatus.LookAlike => IdentityResult.Failed(LookAlikes.Error(user.UserName, change.Holder!)),
        AccountChangeStatus.Overtaken => IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure()),
        _ => IdentityResult.Failed(new IdentityError { Code = "UserGone", Description = "The account no longer exists." }),
    };
}
