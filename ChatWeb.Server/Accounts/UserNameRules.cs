using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// What a new name must be: 1-32 Unicode letters or digits plus _ - . (so Russian names work), already in its
/// NFKC form, free of invisible filler letters, and written in one script. Uniqueness ignoring case is Identity's
/// own check (on <see cref="UserNameKey"/>); look-alikes of existing names are the store's (<see cref="LookAlikes"/>).
/// </summary>
public sealed partial class UserNameRules : IUserValidator<ChatUser>
{
    public const int MaxLength = 32;
    public const string Description = "1-32 letters or digits, plus _ - .";
    public const string InvalidCode = "InvalidUserName";

    // Hangul fillers are letters to Unicode but show as nothing: "admin" + U+3164 reads as "admin". The Arabic
    // tatweel only stretches the letters beside it: "اـل" reads as "ال".
    private static readonly SearchValues<char> Invisible = SearchValues.Create("\u115F\u1160\u3164\uFFA0\u0640");

    /// <summary>The rule a new name must meet.</summary>
    public static bool IsValid(string? name) => Problem(name) is null;

    /// <summary>
    /// The rule every name in logins.csv meets, those registered before the stricter rules included: the characters
    /// and the length. A name that only fails the newer rules still loads, so no account answered 201 stops a start.
    /// </summary>
    public static bool IsWellFormed([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? name) => name is { Length: > 0 and <= MaxLength } && Allowed().IsMatch(name);

    /// <summary>Why a new name is refused, or null when it is fine.</summary>
    public static string? Problem(string? name)
    {
        if (name is not null && name.AsSpan().ContainsAny(Invisible)) return "User name must not contain invisible characters";
        // Told before the character rule: "𝐚dam" or "x²" are refused for their form, not for their characters.
        if (name is { Length: > 0 and <= MaxLength } && !IsNfkc(name))
            return "User name must be written in plain letters (no fullwidth, compatibility or special-sign forms such as the Kelvin sign)";
        if (!IsWellFormed(name)) return $"User name must be {Description}";
        // "." and ".." are path segments to every URL that names the account (the dashboard's delete link).
        if (!name.Any(char.IsLetterOrDigit)) return "User name must hold at least one letter or digit";
        if (!NameScripts.AreNameLetters(name))
            return "User name must not use phonetic letters or small capitals (they pass for ordinary Latin letters)";
        if (!NameScripts.AreOneScript(name)) return "User name must keep to one script (no Latin and Cyrillic letters mixed)";
        return null;
    }

    private static bool IsNfkc(string name)
    {
        try
        {
            return name.IsNormalized(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            // Not valid UTF-16: the character rule refuses it.
            return true;
        }
    }

    // Identity validates on every update too: an account keeps the name it was registered with.
    public Task<IdentityResult> ValidateAsync(UserManager<ChatUser> manager, ChatUser user) =>
        Task.FromResult((user.IsStored ? IsWellFormed(user.UserName) ? null : $"User name must be {Description}" : Problem(user.UserName)) is { } problem
            ? IdentityResult.Failed(new IdentityError { Code = InvalidCode, Description = problem })
            : IdentityResult.Success);

    [GeneratedRegex(@"^[\p{L}\p{Nd}_.\-]+$")]
    private static partial Regex Allowed();
}
