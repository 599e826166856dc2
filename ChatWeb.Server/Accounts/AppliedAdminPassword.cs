using ChatWeb.Server.Hosting;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Which configured <c>Admin:Password</c> was applied last, kept as a salted PBKDF2 hash (Identity's password
/// hasher) in <c>&lt;data&gt;/admin-password-applied.txt</c> (0600), never the value. A start with the same value
/// leaves the admin's own later change alone; a new value is applied, which is how a lost password is recovered.
/// </summary>
public sealed class AppliedAdminPassword(DataDirectory data)
{
    private static readonly PasswordHasher<ChatUser> Hasher = new();

    // The hasher takes a user for custom hashers; the default one does not look at it.
    private static readonly ChatUser Nobody = new() { UserName = "" };

    public string FilePath => data.AppliedAdminPasswordFile;

    public bool WasApplied(string configured)
    {
        if (SecretFile.ReadOrNull(FilePath) is not { Length: > 0 } hash) return false;
        try
        {
            return Hasher.VerifyHashedPassword(Nobody, hash, configured) != PasswordVerificationResult.Failed;
        }
        catch (FormatException)
        {
            // A damaged file: applying the configured value once more is the safe answer, and rewrites it.
            return false;
        }
    }

    public void Remember(string configured) => SecretFile.Write(FilePath, Hasher.HashPassword(Nobody, configured) + "\n");
}
