using System.Globalization;
using ChatWeb.Server.Accounts;
using ChatWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;

namespace ChatWeb.Tests.Accounts;

/// <summary>
/// A logins.csv written before names were keyed by NFKC (security review, finding 1): accounts whose names Unicode
/// rewrites had been stored under a key that the next start refused, so one registration kept the server down.
/// </summary>
public sealed class LoginsFileRepairTests
{
    private const string Header = "UserName,NormalizedUserName,PasswordHash,SecurityStamp,Roles,CreatedAt,LastSignInAt,LastIpProtected,AccessFailedCount,LockoutEnd";

    [Fact]
    public async Task AFileWithNamesUnicodeRewritesStartsTheServerKeepsEveryAccountAndSetsAsideOnlyTheClash()
    {
        var directory = TempDirectory.Create();
        try
        {
            var hasher = new PasswordHasher<ChatUser>();
            string Row(string name, string storedKey, string password, int day, string roles = "") =>
                string.Join(',', name, storedKey, hasher.HashPassword(new ChatUser { UserName = name }, password), Guid.NewGuid().ToString("N"),
                    roles, new DateTime(2026, 11, day, 0, 0, 0, DateTimeKind.Utc).ToString("O", CultureInfo.InvariantCulture), "", "", "0", "");
            // What d77e441 wrote: Identity's old key was NFC and upper case, so the Kelvin sign became K but fullwidth stayed.
            await File.WriteAllLinesAsync(Path.Combine(directory, "logins.csv"),
            [
                Header,
                Row("admin", "ADMIN", ChatWebApplication.AdminPassword, 1, "Admin"),
                Row("alice", "ALICE", "alice-password", 2),
                Row("\u212Aelvin", "KELVIN", "kelvin-password", 3),
                Row("\uFF41dmin", "\uFF21DMIN", "impostor-password", 4),
            ]);

            await using var app = new ChatWebApplication(directory);

            // Every account but the impostor signs in; the Kelvin-sign account under either spelling.
            await app.TokenAsync("alice", "alice-password");
            await app.TokenAsync("\u212Aelvin", "kelvin-password");
            await app.TokenAsync("Kelvin", "kelvin-password");
            await app.TokenAsync(ChatWebApplication.AdminName, ChatWebApplication.AdminPassword);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await app.RequestTokenAsync("\uFF41dmin", "impostor-password")).StatusCode);

            // The impostor is not lost: it is in a file of its own, and the log says why.
            var setAside = Assert.Single(Directory.GetFiles(directory, "logins.set-aside-*.csv"));
            Assert.Contains("\uFF41dmin", await File.ReadAllTextAsync(setAside));
            var log = await ServerLog.WaitForAsync(Path.Combine(directory, "log.txt"), "account(s) set aside in");
            Assert.Contains("has been renewed", log);
            Assert.Contains("is set aside", log);

            // The repaired file is written at once, so the next start is clean and sets nothing more aside.
            await using var again = await app.RestartAsync();
            await again.TokenAsync("\u212Aelvin", "kelvin-password");
            Assert.Single(Directory.GetFiles(directory, "logins.set-aside-*.csv"));
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }
}
