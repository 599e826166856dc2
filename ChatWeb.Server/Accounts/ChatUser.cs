namespace ChatWeb.Server.Accounts;

/// <summary>An account as it is kept in logins.csv. The store hands out copies, so a change counts only once it is saved.</summary>
public sealed class ChatUser
{
    public required string UserName { get; set; }
    public string NormalizedUserName { get; set; } = "";
    public string? PasswordHash { get; set; }
    public string SecurityStamp { get; set; } = "";
    public List<string> Roles { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>The last client IP, encrypted with Data Protection; decrypted only when an admin looks.</summary>
    public string? LastIpProtected { get; set; }

    public int AccessFailedCount { get; set; }
    public DateTimeOffset? LockoutEnd { get; set; }

    public bool IsAdmin => Roles.Contains(AccountRoles.Admin, StringComparer.OrdinalIgnoreCase);

    public ChatUser Clone()
    {
        var copy = (ChatUser)MemberwiseClone();
        copy.Roles = [.. Roles];
        return copy;
    }
}

public static class AccountRoles
{
    public const string Admin = "Admin";
}
