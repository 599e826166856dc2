using System.Net;
using ChatWeb.Server.Accounts;
using ChatWeb.Server.Security;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Server.Gateway;

/// <summary>How a sign-in ended: an account (new or returning), or why the connection should close.</summary>
internal sealed record SignInResult(ChatUser? User, bool Returning, string Outcome)
{
    public static SignInResult Success(ChatUser user, bool returning) => new(user, returning, "signed in");
    public static SignInResult Ended(string why) => new(null, false, why);
}

/// <summary>The accounts' door for TCP, resolved once: the sign-in conversation, the session token it hands out, and the check once in the room.</summary>
internal sealed class TcpSignIn(AccountFile accounts, AccountSessions sessions, AccessTokens tokens, SignInThrottle throttle, IServiceScopeFactory scopes)
{
    public Task<SignInResult> RunAsync(LineReader input, SessionOutput output, IPAddress? clientIp, CancellationToken cancellationToken) =>
        new SignInDialog(input, output, accounts, sessions, scopes, throttle, clientIp).RunAsync(cancellationToken);

    /// <summary>The <c>Session token:</c> of a TCP sign-in: it crossed the network in plain text, so it opens TCP <c>/resume</c> only.</summary>
    public string IssueSessionToken(ChatUser user) => tokens.Issue(user, TokenScope.TcpResume);

    /// <summary>False when the account changed (password, roles, removal) since this sign-in read it.</summary>
    public bool IsStillCurrent(ChatUser user) => sessions.IsStillCurrent(user);
}

/// <summary>
/// The sign-in conversation of DESIGN.md: a name, then a password for a known name or a new password
/// (twice) for a new one, or <c>/resume &lt;token&gt;</c> instead of a name. Password checks, lockout and
/// tokens are the web's own (<see cref="AccountService"/>), so they mean the same thing on both doors.
/// A refused token sends the client back to the name prompt rather than closing: an old saved token
/// should not stop a user who can still type their password. Every name looked up, password check,
/// registration and resume spends from the client network's sign-in budget, which the web forms and the API share.
/// <para>
/// A password conversation (a known name or a new one) runs in a service scope of its own, since Identity's services
/// are scoped; <c>/resume</c> needs only singletons, so a client that resumes never builds a <c>UserManager</c>.
/// </para>
/// </summary>
internal sealed class SignInDialog(
    LineReader input,
    SessionOutput output,
    AccountFile known,
    AccountSessions sessions,
    IServiceScopeFactory scopes,
    SignInThrottle throttle,
    IPAddress? clientIp)
{
    private const string Transport = "tcp";

    public async Task<SignInResult> RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await output.WriteAsync(WireText.NamePrompt, cancellationToken);
            if (await ReadAsync(cancellationToken) is not { } line) return SignInResult.Ended("client left during sign-in");
            var name = line.Trim();
            if (name.Length == 0) continue;
            if (IsExit(name)) return SignInResult.Ended("client said exit");

            if (name.StartsWith("/resume", StringComparison.OrdinalIgnoreCase) && (name.Length == 7 || name[7] == ' '))
            {
                if (await OverBudgetAsync(cancellationToken)) return SignInResult.Ended("sign-in budget of the address spent");
                var resumed = sessions.SignInWithToken(name[7..].Trim(), clientIp, Transport);
                if (resumed is { Status: SignInStatus.Success, User: { } user }) return SignInResult.Success(user, returning: true);
                await output.WriteAsync(WireText.ResumeRefused, cancellationToken);
                continue;
            }
            if (name.StartsWith('/'))
            {
                await output.WriteAsync(WireText.SignInFirst, cancellationToken);
                continue;
            }
            // Junk is refused before any lookup, so it costs nothing.
            if (!UserNameRules.IsWellFormed(name))
            {
                await output.WriteAsync(WireText.Error(UserNameRules.Problem(name)!), cancellationToken);
                continue;
            }
            // The answer tells whether the name has an account ("Hello again" or "New user"), so asking costs an attempt.
            if (await OverBudgetAsync(cancellationToken)) return SignInResult.Ended("sign-in budget of the address spent");
            // An existing account signs in under the name it has; only a new name must meet today's stricter rules.
            var account = known.Find(name);
            if (account is null && UserNameRules.Problem(name) is { } problem)
            {
                await output.WriteAsync(WireText.Error(problem), cancellationToken);
                continue;
            }

            await using var scope = scopes.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
            var result = account is not null
                ? await CheckPasswordAsync(accounts, account.UserName, cancellationToken)
                : await RegisterAsync(accounts, name, cancellationToken);
            if (result is not null) return result;
        }
    }

    /// <returns>The outcome, or null to ask for a name again.</returns>
    private async Task<SignInResult?> CheckPasswordAsync(AccountService accounts, string name, CancellationToken cancellationToken)
    {
        await output.WriteAsync(WireText.HelloAgain(name), cancellationToken);
        var attempts = 0;
        while (true)
        {
            if (await ReadAsync(cancellationToken) is not { } password) return SignInResult.Ended("client left during sign-in");
            if (password.Length == 0)
            {
                await output.WriteAsync(WireText.PasswordPrompt, cancellationToken);
                continue;
            }
            if (IsExit(password)) return SignInResult.Ended("client said exit");

            if (await OverBudgetAsync(cancellationToken)) return SignInResult.Ended("sign-in budget of the address spent");
            var outcome = await accounts.CheckPasswordAsync(name, password, clientIp, Transport);
            switch (outcome)
            {
                case { Status: SignInStatus.Success, User: { } user }:
                    return SignInResult.Success(user, outcome.Returning);
                case { Status: SignInStatus.LockedOut }:
                    await output.WriteAsync(WireText.LockedOut, cancellationToken);
                    return SignInResult.Ended("account locked out");
            }
            if (++attempts == WireText.PasswordAttempts)
            {
                await output.WriteAsync(WireText.WrongPasswordLast, cancellationToken);
                return SignInResult.Ended($"wrong password {WireText.PasswordAttempts} times");
            }
            await output.WriteAsync([WireText.WrongPassword(WireText.PasswordAttempts - attempts), WireText.PasswordPrompt], cancellationToken);
        }
    }

    /// <returns>The outcome, or null to ask for a name again (someone else took it meanwhile).</returns>
    private async Task<SignInResult?> RegisterAsync(AccountService accounts, string name, CancellationToken cancellationToken)
    {
        await output.WriteAsync(WireText.NewUser(name), cancellationToken);
        while (true)
        {
            if (await ReadAsync(cancellationToken) is not { } password) return SignInResult.Ended("client left during sign-in");
            if (IsExit(password)) return SignInResult.Ended("client said exit");

            // Checked before asking for the repeat, so nobody types a refused password twice.
            if (await accounts.PasswordProblemsAsync(name, password) is { Count: > 0 } problems)
            {
                await output.WriteAsync([.. problems.Select(WireText.Error), WireText.ChoosePasswordPrompt], cancellationToken);
                continue;
            }

            await output.WriteAsync(WireText.RepeatPasswordPrompt, cancellationToken);
            if (await ReadAsync(cancellationToken) is not { } repeated) return SignInResult.Ended("client left during sign-in");
            if (IsExit(repeated)) return SignInResult.Ended("client said exit");
            if (repeated != password)
            {
                await output.WriteAsync([WireText.PasswordsDiffer, WireText.ChoosePasswordPrompt], cancellationToken);
                continue;
            }

            if (await OverBudgetAsync(cancellationToken)) return SignInResult.Ended("sign-in budget of the address spent");
            var registered = await accounts.RegisterAsync(name, password);
            if (registered.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateUserName)))
            {
                await output.WriteAsync(WireText.NameTaken(name), cancellationToken);
                return null;
            }
            if (registered.Errors.FirstOrDefault(e => e.Code == LookAlikes.ErrorCode) is { } lookAlike)
            {
                await output.WriteAsync(WireText.Error(lookAlike.Description), cancellationToken);
                return null;
            }
            if (!registered.Succeeded)
            {
                await output.WriteAsync([.. registered.Errors.Select(e => WireText.Error(e.Description)), WireText.ChoosePasswordPrompt], cancellationToken);
                continue;
            }

            var outcome = await accounts.CheckPasswordAsync(name, password, clientIp, Transport);
            return outcome is { Status: SignInStatus.Success, User: { } user }
                ? SignInResult.Success(user, outcome.Returning)
                : SignInResult.Ended("could not sign in right after registering");
        }
    }

    /// <summary>Spends one attempt from the address's budget; when it is spent, says so (the caller then closes).</summary>
    private async Task<bool> OverBudgetAsync(CancellationToken cancellationToken)
    {
        if (throttle.TryAcquire(clientIp)) return false;
        await output.WriteAsync(WireText.TooManySignIns, cancellationToken);
        return true;
    }

    /// <summary>The next line as typed (passwords are not trimmed), null at the end; an over-long line is refused and skipped.</summary>
    private async Task<string?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await input.ReadLineAsync(cancellationToken);
            switch (read.Kind)
            {
                case InputKind.End:
                    return null;
                case InputKind.TooLong:
                    await output.WriteAsync(WireText.LineTooLong(input.MaxLineBytes), cancellationToken);
                    continue;
                default:
                    return read.Text;
            }
        }
    }

    public static bool IsExit(string text) =>
        text.Equals("exit", StringComparison.OrdinalIgnoreCase) || text.Equals("/quit", StringComparison.OrdinalIgnoreCase);
}
