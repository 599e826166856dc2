using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Identity's user store: <see cref="AccountFile"/>'s accounts and changes in Identity's terms. It holds nothing and
/// writes nothing of its own; a refused change comes back as the <see cref="IdentityResult"/> Identity expects
/// (a lost compare-and-swap as <see cref="IdentityErrorDescriber.ConcurrencyFailure"/>), a failed write as the exception.
/// </summary>
public sealed partial class ChatUserStore(AccountFile accounts) :
    IUserPasswordStore<ChatUser>,
    IUserSecurityStampStore<ChatUser>,
    IUserLockoutStore<ChatUser>,
    IUserRoleStore<ChatUser>
{
    public async Task<IdentityResult> CreateAsync(ChatUser user, CancellationToken cancellationToken) =>
        Result(await accounts.AddAsync(user), user);

    public async Task<IdentityResult> UpdateAsync(ChatUser user, CancellationToken cancellationToken) =>
        Result(await accounts.ReplaceAsync(user), user);

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
