using System.Text;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// The one key a user name is stored, looked up and compared by: NFKC, then upper case. Identity's normalizer,
/// the store's lookups and the check of logins.csv at start-up all use it, so a name that Unicode rewrites
/// (the Kelvin sign K, the Ohm sign Ω, fullwidth letters) can never be stored under one key and checked under another.
/// </summary>
public sealed class UserNameKey : ILookupNormalizer
{
    public static string Of(string name)
    {
        try
        {
            return name.Normalize(NormalizationForm.FormKC).ToUpperInvariant();
        }
        catch (ArgumentException)
        {
            // Not valid UTF-16 (a lone surrogate): no account can have such a name, so any key that finds nothing will do.
            return name.ToUpperInvariant();
        }
    }

    public string? NormalizeName(string? name) => name is null ? null : Of(name);

    public string? NormalizeEmail(string? email) => email is null ? null : Of(email);
}
