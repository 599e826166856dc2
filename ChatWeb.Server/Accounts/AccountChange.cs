namespace ChatWeb.Server.Accounts;

public enum AccountChangeStatus
{
    Saved,

    /// <summary>Another account has the name (compared as <see cref="UserNameKey"/> keys them).</summary>
    NameTaken,

    /// <summary>Another account's name looks the same (<see cref="LookAlikes"/>); <see cref="AccountChange.Holder"/> names it.</summary>
    LookAlike,

    /// <summary>The account no longer exists.</summary>
    Gone,

    /// <summary>Another change of the account was saved since this copy was read: read it again and redo the change.</summary>
    Overtaken,
}

/// <summary>How a change of <see cref="AccountFile"/> ended; a refused change altered nothing.</summary>
public readonly record struct AccountChange(AccountChangeStatus Status, string? Holder = null)
{
    public static AccountChange Saved => new(AccountChangeStatus.Saved);

    public bool Succeeded => Status == AccountChangeStatus.Saved;
}
