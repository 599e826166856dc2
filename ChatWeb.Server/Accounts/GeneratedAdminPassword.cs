using ChatWeb.Server.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ChatWeb.Server.Accounts;

/// <summary>
/// Shows a generated admin password to the operator and to nobody else. On an interactive terminal it is printed
/// once. Anywhere else stdout is a log that others keep (docker logs, journald, CI), so the password goes to
/// <c>&lt;data&gt;/admin-password.txt</c>, readable by the server's user only (0600), and only that path is printed.
/// The file goes as soon as its password stops working (the admin changed it, or it was reset): checked whenever the
/// admin's sessions end and at every start.
/// </summary>
public sealed partial class GeneratedAdminPassword(
    DataDirectory data, AccountFile store, IOptions<AdminOptions> admin, ILogger<GeneratedAdminPassword> logger)
{
    private static readonly PasswordHasher<ChatUser> Hasher = new();

    public string FilePath => data.GeneratedAdminPasswordFile;

    /// <param name="interactive">Whether stdout is a terminal a person reads (not redirected).</param>
    public void Show(string userName, string password, bool interactive)
    {
        if (!interactive) SecretFile.Write(FilePath, password + "\n");
        var (value, note) = interactive
            ? (password, "It is shown only this once.")
            : ($"in {FilePath}", "Only this user can read that file; it is deleted once the password is changed.");
        // Straight to the console, never to the log file.
        Console.WriteLine($"""

            ==============================================================
             ChatWeb admin account created.
               user name: {userName}
               password:  {value}
             {note}
             Sign in at /login and change it at /account/password,
             or configure Admin:Password to replace it.
            ==============================================================

            """);
    }

    /// <summary>Deletes the file once the password in it no longer opens the admin account.</summary>
    public void ForgetIfStale(string userName)
    {
        if (!string.Equals(userName, admin.Value.UserName, StringComparison.OrdinalIgnoreCase)) return;
        if (SecretFile.ReadOrNull(FilePath) is not { } password) return;
        if (store.Find(admin.Value.UserName) is { PasswordHash: { } hash } user
            && Hasher.VerifyHashedPassword(user, hash, password) != PasswordVerificationResult.Failed) return;
        File.Delete(FilePath);
        LogForgotten(logger, FilePath);
    }

    [LoggerMessage(LogLevel.Information, "The generated admin password no longer works; {Path} was deleted")]
    private static partial void LogForgotten(ILogger logger, string path);
}
