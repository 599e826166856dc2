using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

/// <summary>Names are 1-32 Unicode letters or digits plus _ - . (so Russian names work); uniqueness ignoring case is Identity's own check.</summary>
public sealed partial class UserNameRules : IUserValidator<ChatUser>
{
    public const int MaxLength = 32;
    public const string Description = "1-32 letters or digits, plus _ - .";

    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Allowed().IsMatch(name);

    public Task<IdentityResult> ValidateAsync(UserManager<ChatUser> manager, ChatUser user) =>
        Task.FromResult(IsValid(user.UserName)
            ? IdentityResult.Success
            // No closing period: the description ends with the "." a name may hold, and "plus _ - .." reads as a typo.
            : IdentityResult.Failed(new IdentityError { Code = "InvalidUserName", Description = $"User name must be {Description}" }));

    [GeneratedRegex(@"^[\p{L}\p{Nd}_.\-]+$")]
    private static partial Regex Allowed();
}
