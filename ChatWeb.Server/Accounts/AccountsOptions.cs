using System.ComponentModel.DataAnnotations;

namespace ChatWeb.Server.Accounts;

public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>How long an access token (API, hub from scripts, TCP /resume) stays valid.</summary>
    [Range(1, 24 * 365)]
    public int TokenLifetimeHours { get; set; } = 24;
}

public sealed class AdminOptions
{
    public const string Section = "Admin";

    [Required]
    public string UserName { get; set; } = "admin";

    /// <summary>
    /// When set, applied to the admin account when it is created and whenever the value differs from the one applied
    /// last time (see <see cref="AppliedAdminPassword"/>); when not, a password is generated once (see <see cref="GeneratedAdminPassword"/>).
    /// </summary>
    public string? Password { get; set; }
}
