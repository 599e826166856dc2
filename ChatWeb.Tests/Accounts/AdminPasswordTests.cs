using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ChatWeb.Server.Accounts;
using ChatWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using System.Text.RegularExpressions;

namespace ChatWeb.Tests.Accounts;

/// <summary>
/// The admin password as a secret: a generated one never reaches redirected output (docker logs, journald), and a
/// configured one is applied when it is new, not at every start over the admin's own change.
/// </summary>
public sealed class AdminPasswordTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task GeneratedPasswordGoesToAnOwnerOnlyFileWhenOutputIsNotATerminal()
    {
        using var data = new TempDirectory();
        var file = Path.Combine(data.Path, "admin-password.txt");
        await using var server = await ServerProcess.StartAsync(data.Path, "--Admin:Password=");

        Assert.True(File.Exists(file), "no admin-password.txt; output:\n" + server.Output);
        var password = File.ReadAllText(file).Trim();
        Assert.Equal(16, password.Length);
        AssertOwnerOnly(file);
        Assert.DoesNotContain(password, server.Output);
        Assert.DoesNotContain(password, File.ReadAllText(server.LogFile));
        Assert.Contains($"password:  in {file}", server.Output);

        var token = await server.TokenAsync(ChatWebApplication.AdminName, password);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var changed = await http.PostAsJsonAsync("/api/account/password", new { currentPassword = password, newPassword = "the-admins-own-choice" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);

        // The file's password no longer opens anything, so the file goes.
        await Wait.UntilAsync(() => !File.Exists(file), () => "admin-password.txt is still there after the password change");
    }

    [Fact]
    public async Task GeneratedPasswordIsPrintedOnAnInteractiveTerminalAndWrittenNowhere()
    {
        using var data = new TempDirectory();
        // script(1) gives the server a pseudo-terminal for stdout, as an operator's shell or `docker run -it` does.
        var server = string.Join(' ', "dotnet", TestProcess.BuiltDll("ChatWeb.Server"), "--urls", "http://127.0.0.1:0",
            $"--Chat:DataDirectory={data.Path}", "--Console:Enabled=false", "--Gateway:Port=0", "--Gateway:Address=127.0.0.1");
        var start = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-qfec", server, "/dev/null" }) start.ArgumentList.Add(argument);
        using var terminal = Process.Start(start)!;
        try
        {
            string? password = null, url = null;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((password is null || url is null) && await terminal.StandardOutput.ReadLineAsync(deadline.Token) is { } colored)
            {
                // A terminal gets the console logger's colours: escape sequences between the words.
                var line = Regex.Replace(colored, @"\x1B(\[[0-9;?]*[A-Za-z]|=)", "");
                if (Regex.Match(line, @"^\s+password:  (?<password>[A-Za-z0-9]{16})\s*$") is { Success: true } shown) password = shown.Groups["password"].Value;
                if (Regex.Match(line, @"Now listening on: (?<url>http://127\.0\.0\.1:\d+)") is { Success: true } listening) url = listening.Groups["url"].Value;
            }
            Assert.NotNull(password);
            Assert.NotNull(url);
            Assert.False(File.Exists(Path.Combine(data.Path, "admin-password.txt")));
            Assert.DoesNotContain(password, File.ReadAllText(Path.Combine(data.Path, "log.txt")));
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            using var token = await http.PostAsJsonAsync("/api/account/token", new { userName = ChatWebApplication.AdminName, password });
            Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        }
        finally
        {
            terminal.Kill(entireProcessTree: true);
            await terminal.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task ConfiguredPasswordIsAppliedWhenItChangesNotAtEveryStart()
    {
        var app = new ChatWebApplication(settings: new Dictionary<string, string?> { ["Admin:Password"] = "configured-one" });
        try
        {
            var token = await app.TokenAsync(ChatWebApplication.AdminName, "configured-one");
            using (var http = new HttpClient { BaseAddress = app.BaseAddress })
            {
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                using var changed = await http.PostAsJsonAsync("/api/account/password", new { currentPassword = "configured-one", newPassword = "admins-own-two" });
                Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
            }

            app = await app.RestartAsync(new Dictionary<string, string?> { ["Admin:Password"] = "configured-one" });
            await AssertAdminPasswordAsync(app, works: "admins-own-two", refused: "configured-one");

            app = await app.RestartAsync(new Dictionary<string, string?> { ["Admin:Password"] = "configured-three" });
            await AssertAdminPasswordAsync(app, works: "configured-three", refused: "admins-own-two");

            // Kept only as a salted hash of the value, readable by the server's user alone.
            var applied = Path.Combine(app.DataDirectory, "admin-password-applied.txt");
            var hash = File.ReadAllText(applied).Trim();
            Assert.DoesNotContain("configured-three", hash);
            AssertOwnerOnly(applied);
            var hasher = new PasswordHasher<ChatUser>();
            var someone = new ChatUser { UserName = ChatWebApplication.AdminName };
            Assert.NotEqual(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(someone, hash, "configured-three"));
            Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(someone, hash, "configured-one"));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>Other users of the machine cannot read it (Windows has no mode bits; its ACLs follow the folder).</summary>
    private static void AssertOwnerOnly(string path)
    {
        if (!OperatingSystem.IsWindows()) Assert.Equal(OwnerOnly, File.GetUnixFileMode(path));
    }

    private static async Task AssertAdminPasswordAsync(ChatWebApplication app, string works, string refused)
    {
        Assert.False(string.IsNullOrEmpty(await app.TokenAsync(ChatWebApplication.AdminName, works)));
        using var wrong = await app.RequestTokenAsync(ChatWebApplication.AdminName, refused);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }
}
