using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Identity's <see cref="UserManager{TUser}"/> plus one rule: a change of roles is a change of rights, so it gets a
/// new security stamp (Identity's own role methods keep the old one) and ends the account's live sessions. Every
/// role change in ChatWeb goes through <c>UserManager&lt;ChatUser&gt;</c>, which resolves to this class, so none
/// can skip the rule.
/// </summary>
public sealed class ChatUserManager(
    IUserStore<ChatUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<ChatUser> passwordHasher,
    IEnumerable<IUserValidator<ChatUser>> userValidators,
    IEnumerable<IPasswordValidator<ChatUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<ChatUser>> logger,
    AccountEvents events)
    : UserManager<ChatUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public const string RightsChanged = "your rights were changed; sign in again";

    public override Task<IdentityResult> AddToRoleAsync(ChatUser user, string role) =>
        ChangeRightsAsync(user, () => base.AddToRoleAsync(user, role));

    public override Task<IdentityResult> AddToRolesAsync(ChatUser user, IEnumerable<string> roles) =>
        ChangeRightsAsync(user, () => base.AddToRolesAsync(user, roles));

    public override Task<IdentityResult> RemoveFromRoleAsync(ChatUser user, string role) =>
        ChangeRightsAsync(user, () => base.RemoveFromRoleAsync(user, role));

    public override Task<IdentityResult> RemoveFromRolesAsync(ChatUser user, IEnumerable<string> roles) =>
        ChangeRightsAsync(user, () => base.RemoveFromRolesAsync(user, roles));

    private async Task<IdentityResult> ChangeRightsAsync(ChatUser user, Func<Task<IdentityResult>> change)
    {
        var stamps = (IUserSecurityStampStore<ChatUser>)Store;
        var before = await stamps.GetSecurityStampAsync(user, CancellationToken);
        // The new stamp is set first, so the change saves roles and stamp in one write: the store never holds the
        // new roles under the old stamp, for a cookie or token to pass its check in between.
        await stamps.SetSecurityStampAsync(user, Convert.ToHexString(RandomNumberGenerator.GetBytes(20)), CancellationToken);
        var result = await change();
        if (!result.Succeeded)
        {
            await stamps.SetSecurityStampAsync(user, before ?? "", CancellationToken);
            return result;
        }
        await events.EndSessionsAsync(user.UserName, RightsChanged);
        return result;
    }
}
