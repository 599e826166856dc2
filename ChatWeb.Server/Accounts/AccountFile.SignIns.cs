namespace ChatWeb.Server.Accounts;

/// <summary>
/// Sign-ins: their time and address are recorded in memory at once (readers see them on top of the file's state)
/// and reach logins.csv with the next write, at most <see cref="SignInWriteDelay"/> later.
/// </summary>
public sealed partial class AccountFile
{
    /// <summary>
    /// Records a sign-in on the newest state of the account, leaving everything else as it is; false when the
    /// account is gone or its security stamp is no longer <paramref name="securityStamp"/>. Readers see it at
    /// once; the file gets it with the next write, at most <see cref="SignInWriteDelay"/> later.
    /// </summary>
    public bool RecordSignIn(string normalizedUserName, string securityStamp, DateTimeOffset at, string? lastIpProtected)
    {
        lock (_gate)
        {
            if (!_newest.TryGetValue(normalizedUserName, out var current) || current.SecurityStamp != securityStamp) return false;
            var updated = current.Clone();
            updated.LastSignInAt = at;
            updated.LastIpProtected = lastIpProtected;
            OwnNewest()[normalizedUserName] = updated;
            _unwrittenSignIns[normalizedUserName] = new RecordedSignIn(securityStamp, at, lastIpProtected, ++_signInNumber);
            // A write under way takes it when it is done; otherwise one comes after the delay.
            if (!_writing) ScheduleSignInWrite();
            return true;
        }
    }

    /// <summary>Under the lock: makes sure a write comes within <see cref="SignInWriteDelay"/> for the sign-ins recorded.</summary>
    private void ScheduleSignInWrite()
    {
        if (_signInWriteScheduled) return;
        _signInWriteScheduled = true;
        _ = WriteSignInsLaterAsync();
    }

    private async Task WriteSignInsLaterAsync()
    {
        await Task.Delay(SignInWriteDelay);
        Task written;
        lock (_gate)
        {
            _signInWriteScheduled = false;
            // A write may have taken them meanwhile.
            if (!SignInsWaiting) return;
            written = QueueWrite();
        }
        try
        {
            await written;
        }
        catch (Exception ex)
        {
            // Nobody waits for sign-in times, so the failure is told here; the accounts themselves are as the file has them.
            LogSignInsNotSaved(logger, FilePath, ex.Message);
        }
    }

    /// <summary>Under the lock: a copy of the account for a reader, with its sign-in that is not on disk yet.</summary>
    private ChatUser Read(ChatUser user)
    {
        var copy = user.Clone();
        if (_unwrittenSignIns.TryGetValue(copy.NormalizedUserName, out var signIn) && signIn.SecurityStamp == copy.SecurityStamp)
        {
            copy.LastSignInAt = signIn.At;
            copy.LastIpProtected = signIn.LastIpProtected;
        }
        return copy;
    }
}
