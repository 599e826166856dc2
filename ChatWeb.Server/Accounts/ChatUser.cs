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

    /// <summary>
    /// Which change of the account this copy was read at (in memory only, like Identity's ConcurrencyStamp): the
    /// store refuses to save a copy that another change overtook, so a slow writer never undoes a newer change.
    /// </summary>
    public long Version { get; set; }

    /// <summary>True for an account the store holds (or held): every stored account has a version, a new one has none yet.</summary>
    public bool IsStored => Version > 0;

    private (string Small, string Capital)? _skeletons;

    /// <summary>The name as a reader sees it (<see cref="LookAlikes"/>), worked out once per account.</summary>
    public (string Small, string Capital) Skeletons => _skeletons ??= LookAlikes.Skeletons(UserName);

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
