using ChatWeb.Server.Accounts;
using ChatWeb.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ChatWeb.Tests.Accounts;

public sealed class LoginsFileTests
{
    [Fact]
    public async Task LoginsFileHoldsIdentityHashesAndNoPlaintextPasswordOrIp()
    {
        await using var app = new ChatWebApplication();
        await app.SignUpAsync("alice", "very-secret-password");
        // The sign-in that follows a sign-up reaches the file within a second; no need to wait for it.
        await app.Services.GetRequiredService<AccountFile>().FlushAsync();

        var text = await File.ReadAllTextAsync(Path.Combine(app.DataDirectory, "logins.csv"));
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("UserName,NormalizedUserName,PasswordHash,SecurityStamp,Roles,CreatedAt,LastSignInAt,LastIpProtected,AccessFailedCount,LockoutEnd", lines[0]);
        Assert.DoesNotContain("very-secret-password", text);
        Assert.DoesNotContain("127.0.0.1", text);
        Assert.DoesNotContain(ChatWebApplication.AdminPassword, text);

        var alice = lines.Single(l => l.StartsWith("alice,", StringComparison.Ordinal)).Split(',');
        Assert.Equal("ALICE", alice[1]);
        // Identity v3 hashes (PBKDF2) start with 0x01, "AQAAAA" in base64.
        Assert.StartsWith("AQAAAA", alice[2]);
        Assert.False(string.IsNullOrEmpty(alice[7]), "the last IP is stored, encrypted");
        // Times are round-trip UTC ("O"); an unset time is an empty field.
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$", alice[5]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$", alice[6]);
        Assert.Equal("", alice[9]);
        Assert.Contains("Admin", lines.Single(l => l.StartsWith("admin,", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("UserName,NormalizedUserName\nalice,ALICE\n", 1, "header")]
    [InlineData("UserName,NormalizedUserName,PasswordHash,SecurityStamp,Roles,CreatedAt,LastSignInAt,LastIpProtected,AccessFailedCount,LockoutEnd\nalice,ALICE,hash,STAMP,,2026-01-01T00:00:00Z,,,zero,\n", 2, "AccessFailedCount")]
    [InlineData("UserName,NormalizedUserName,PasswordHash,SecurityStamp,Roles,CreatedAt,LastSignInAt,LastIpProtected,AccessFailedCount,LockoutEnd\nalice,ALICE,hash,STAMP,,2026-01-01T00:00:00Z,,,0,\nbob,BOB,hash\n", 3, "fields")]
    [InlineData("UserName,NormalizedUserName,PasswordHash,SecurityStamp,Roles,CreatedAt,LastSignInAt,LastIpProtected,AccessFailedCount,LockoutEnd\n\"alice,ALICE,hash,STAMP,,2026-01-01T00:00:00Z,,,0,\n", 2, "")]
    public async Task CorruptLoginsFileStopsStartupNamingFileAndLineAndIsLeftUntouched(string content, int line, string problem)
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "logins.csv");
        File.WriteAllText(path, content);
        var before = File.ReadAllBytes(path);

        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(directory.Path);

        Assert.Equal(1, exitCode);
        Assert.Contains("ChatWeb did not start: ", output);
        Assert.Contains($"Accounts file {path} cannot be read at line {line}: ", output);
        Assert.Contains(problem, output);
        Assert.DoesNotContain("Now listening", output);
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
