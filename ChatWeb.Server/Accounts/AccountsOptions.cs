using System.ComponentModel.DataAnnotations;

namespace ChatWeb.Server.Accounts;

public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>How long an access token (API, hub from scripts, TCP /resume) stays valid.</summary>
    [Range(1, 24 * 365)]
    public int TokenLifetimeHours { get; set; } = 24;
}

public sealed class AdminOptions : IValidatableObject
{
    public const string Section = "Admin";

    [Required]
    public string UserName { get; set; } = "admin";

    /// <summary>
    /// When set, applied to the admin account when it is created and whenever the value differs from the one applied
    /// last time (see <see cref="AppliedAdminPassword"/>); when not, a password is generated once (see <see cref="GeneratedAdminPassword"/>).
    /// </summary>
    public string? Password { get; set; }

    /// <summary>The seeding at start-up would fail on either, after the ports are open.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UserNameRules.IsValid(UserName))
            yield return new ValidationResult($"setting {Section}:{nameof(UserName)} is '{UserName}'; allowed: {UserNameRules.Description}", [nameof(UserName)]);
        // The value is a password: never repeated in the message.
        if (Password is { Length: > 0 and < MinimumPasswordLength })
            yield return new ValidationResult($"setting {Section}:{nameof(Password)} is too short (the value is not shown); allowed: at least {MinimumPasswordLength} characters.", [nameof(Password)]);
    }

    // Identity's RequiredLength in AccountsExtensions.
    internal const int MinimumPasswordLength = 8;
}
